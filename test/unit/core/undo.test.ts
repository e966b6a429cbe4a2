import { describe, expect, it } from 'vitest';
import { drop } from './support/memory-backend';
import { startCore } from './support/core-harness';

const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const CHROME_KEY = 'path:c:\\program files\\google\\chrome\\application\\chrome.exe';

describe('undo', () => {
  it('a mistaken Block is undone: no rule, no filter, the app pending again with the same decision', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    h.backend.emit(drop(CHROME, { remotePort: 443 }));
    const before = h.core.snapshot();
    const decision = before.decisions[0]!;
    const filtersBefore = h.backend.filters.size;
    const { rules, actionId } = await h.core.handlers['apps.decide']({ appKeys: [CHROME_KEY], decision: 'block' });
    expect(rules).toHaveLength(1);
    expect(h.core.snapshot().decisions).toEqual([]);
    const entry = await h.core.handlers['history.undo']({ actionId: actionId! });
    expect(entry).toMatchObject({ label: 'Blocked Google Chrome', undone: true });
    const after = h.core.snapshot();
    expect(after.rules).toEqual([]);
    expect(h.backend.filters.size).toBe(filtersBefore);
    expect(after.decisions).toEqual([decision]);
    expect(after.apps.find((a) => a.identity.key === CHROME_KEY)?.state).toBe('pending');
    await expect(h.core.handlers['history.undo']({ actionId: actionId! })).rejects.toThrow(/already undone/);
    await h.core.stop();
  });

  it('undoing Allow over an earlier Block brings back the very same block rule', async () => {
    const h = await startCore();
    h.backend.emit(drop(CHROME));
    const blocked = await h.core.handlers['apps.decide']({ appKeys: [CHROME_KEY], decision: 'block' });
    h.time.advance(60_000);
    const allowed = await h.core.handlers['apps.decide']({ appKeys: [CHROME_KEY], decision: 'allow' });
    expect(h.core.snapshot().rules).toMatchObject([{ action: 'allow' }]);
    await h.core.handlers['history.undo']({ actionId: allowed.actionId! });
    expect(h.core.snapshot().rules).toEqual(blocked.rules);
    expect(h.backend.withTag(`r:${blocked.rules[0]!.id}:`).length).toBeGreaterThan(0);
    await h.core.stop();
  });

  it('undoing a prompt decision and an Ignore restores the decision and the flag', async () => {
    const h = await startCore();
    h.backend.emit(drop('C:\\Apps\\chat.exe', { remotePort: 5222 }));
    const decision = h.core.snapshot().decisions[0]!;
    const rule = await h.core.handlers['decisions.resolve']({
      decisionId: decision.id,
      action: 'allow',
      scope: 'appAndPort',
      duration: '1h',
    });
    const history = await h.core.handlers['history.list']({});
    expect(history[0]).toMatchObject({ label: 'Allowed Chat on that port for 1 hour', undone: false });
    await h.core.handlers['history.undo']({ actionId: rule.actionId! });
    expect(h.core.snapshot().decisions).toEqual([decision]);
    expect(h.core.snapshot().rules).toEqual([]);

    const ignored = await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\apps\\chat.exe'], decision: 'ignore' });
    expect(h.core.snapshot().apps[0]!.state).toBe('ignored');
    await h.core.handlers['history.undo']({ actionId: ignored.actionId! });
    expect(h.core.snapshot().apps[0]!.state).toBe('pending');
    await h.core.stop();
  });
});

describe('learning marks risky proposals', () => {
  it('Commit all leaves out a Temp tool on port 4444 and an inbound listener unless chosen', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'learning' });
    const allow = (path: string, extra = {}) => h.backend.emit({ ...drop(path, extra), type: 'allow' });
    allow('C:\\Program Files\\Mozilla Firefox\\firefox.exe');
    allow('C:\\Users\\sam\\AppData\\Local\\Temp\\netprobe.exe', { remotePort: 4444 });
    allow('C:\\Program Files\\Game\\server.exe', { direction: 'in' });
    const candidates = h.core.snapshot().candidates;
    const risks = Object.fromEntries(candidates.map((c) => [c.app.displayName, c.risks]));
    expect(risks).toEqual({
      Firefox: [],
      Netprobe: ['Runs from a folder any user can write to', 'Unusual port: 4444'],
      Server: ['Accepts connections from other computers'],
    });
    const all = await h.core.handlers['learning.commit']({ appKeys: 'all' });
    expect(all.rules.map((r) => r.app.displayName)).toEqual(['Firefox']);
    expect(h.core.snapshot().candidates).toHaveLength(2);
    await h.core.stop();
  });
});

describe('mode preview', () => {
  it('lists what Enforce will block and what stays allowed', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'learning' });
    h.backend.emit({ ...drop(CHROME), type: 'allow' });
    h.backend.emit({ ...drop('C:\\Apps\\tool.exe'), type: 'allow' });
    await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\apps\\tool.exe'], decision: 'allow' });
    const preview = await h.core.handlers['mode.preview']({ mode: 'enforce' });
    expect(preview.willBlock.map((a) => a.name)).toEqual(['Google Chrome']);
    expect(preview.staysAllowed.map((a) => a.name)).toEqual(['Tool']);
    expect(preview.essentials.map((e) => e.name)).toContain('DNS client');
    expect(h.core.status().mode).toBe('learning');
    await h.core.stop();
  });
});
