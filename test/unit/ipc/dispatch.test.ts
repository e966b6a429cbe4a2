// The dispatcher shared by main and the e2e harness.
import { describe, expect, it, vi } from 'vitest';
import { createBridge } from '../../../electron/ipc/bridge';
import { commandNames, eventNames } from '../../../electron/ipc/channels';
import { commandSchemas, type CommandHandlers } from '../../../electron/ipc/contract';
import { createDispatcher, pagesSenderCheck } from '../../../electron/ipc/dispatch';

const ours = { url: 'http://127.0.0.1:5000/index.html', isMainFrame: true, fromOurWindow: true };

function dispatcherWith(handler: (args: unknown) => unknown) {
  const spy = vi.fn(handler);
  const handlers = new Proxy({}, { get: () => spy }) as unknown as CommandHandlers;
  const onHandlerError = vi.fn();
  const dispatcher = createDispatcher({
    handlers,
    isTrustedSender: pagesSenderCheck('http://127.0.0.1:5000', ['/index.html', '/prompt.html']),
    onHandlerError,
  });
  return { dispatcher, spy, onHandlerError };
}

describe('dispatcher', () => {
  it('lists exactly the commands of the contract', () => {
    expect([...commandNames].sort()).toEqual(Object.keys(commandSchemas).sort());
    expect(eventNames).toEqual(['delta', 'openDecision', 'notify', 'previewMode']);
  });

  it('refuses names that are not commands, including inherited object keys', async () => {
    const { dispatcher, spy } = dispatcherWith(() => 1);
    for (const name of ['nope', 'constructor', '__proto__', 'toString']) {
      expect(await dispatcher.dispatch(name, {}, ours)).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_COMMAND' },
      });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('checks the sender before anything else', async () => {
    const { dispatcher, spy } = dispatcherWith(() => 1);
    for (const sender of [
      { ...ours, url: 'http://127.0.0.1:5001/index.html' },
      { ...ours, url: 'http://localhost:5000/index.html' },
      { ...ours, url: undefined },
      { ...ours, url: 'not a url' },
      { ...ours, isMainFrame: false },
      { ...ours, fromOurWindow: false },
    ]) {
      expect(await dispatcher.dispatch('mode.set', { mode: 'off' }, sender)).toMatchObject({
        ok: false,
        error: { code: 'UNTRUSTED_SENDER' },
      });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('hands core the parsed arguments and returns its answer', async () => {
    const { dispatcher, spy } = dispatcherWith((args) => ({ echoed: args }));
    const result = await dispatcher.dispatch('snapshot.get', undefined, {
      ...ours,
      url: 'http://127.0.0.1:5000/prompt.html',
    });
    expect(result).toEqual({ ok: true, value: { echoed: {} } });
    expect(spy).toHaveBeenCalledWith({});
  });

  it("validates apps.endpoints' app key in main, and checks its sender, before core sees it", async () => {
    const { dispatcher, spy } = dispatcherWith(() => []);
    for (const args of [{}, { appKey: '' }, { appKey: 7 }, { appKey: 'x'.repeat(2049) }, { appKey: 'a', more: 1 }]) {
      expect(await dispatcher.dispatch('apps.endpoints', args, ours)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENTS' },
      });
    }
    expect(
      await dispatcher.dispatch('apps.endpoints', { appKey: 'path:c:\\a.exe' }, { ...ours, isMainFrame: false }),
    ).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(spy).not.toHaveBeenCalled();
    expect(await dispatcher.dispatch('apps.endpoints', { appKey: 'path:c:\\a.exe' }, ours)).toEqual({
      ok: true,
      value: [],
    });
  });

  it('turns a failing handler into a FAILED result that keeps its message', async () => {
    const { dispatcher, onHandlerError } = dispatcherWith(() => {
      throw new Error('FwpmFilterAdd0 failed: FWP_E_ALREADY_EXISTS');
    });
    const result = await dispatcher.dispatch('rules.remove', { ids: ['a'] }, ours);
    expect(result).toEqual({
      ok: false,
      error: { code: 'FAILED', message: '"rules.remove" failed: FwpmFilterAdd0 failed: FWP_E_ALREADY_EXISTS' },
    });
    expect(onHandlerError).toHaveBeenCalledWith('rules.remove', expect.any(Error));
  });
});

describe('bridge', () => {
  it('invokes known commands, throws the error code for refused calls, and rejects unknown names early', async () => {
    const raw = vi.fn(async (command: string) =>
      command === 'mode.set'
        ? {
            ok: false as const,
            error: { code: 'INVALID_ARGUMENTS' as const, message: 'Invalid arguments for "mode.set"' },
          }
        : { ok: true as const, value: 42 },
    );
    const bridge = createBridge(commandNames, eventNames, raw, () => () => undefined);
    await expect(bridge.invoke('rules.export', {})).resolves.toBe(42);
    await expect(bridge.invoke('mode.set', { mode: 'off' })).rejects.toThrow(/^INVALID_ARGUMENTS: /);
    await expect(bridge.invoke('shell.exec' as 'rules.export', {})).rejects.toThrow(/UNKNOWN_COMMAND/);
    expect(() => bridge.on('secret' as 'delta', () => undefined)).toThrow(/not a Portcullis event/);
    expect(raw).toHaveBeenCalledTimes(2);
    expect(Object.isFrozen(bridge)).toBe(true);
  });
});
