// The event path finds an app's record by the event's own app string, once its identity is known, and the record
// carries what the rest of the path needs (its open decision, the strings later lookups use). These tests check
// that what the user sees stays exactly as when every event was worked out from scratch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppIndex } from '../../../electron/core/apps/app-index';
import { IdentityResolver } from '../../../electron/core/apps/identity';
import { PendingDecisions } from '../../../electron/core/decisions/pending';
import { CodeSignatures } from '../../../electron/core/enrichment/code-signature';
import { RealCasePaths } from '../../../electron/core/enrichment/real-case';
import type { NetEvent } from '../../../native/api';
import { startCore } from './support/core-harness';
import { drop, MemoryBackend } from './support/memory-backend';

afterEach(() => vi.restoreAllMocks());

/** A copy of the string in a new object, as every event decoded anew carries it. */
const fresh = (s: string): string => [...s].join('');

describe('one lookup per event', () => {
  it('works out an app identity once, then finds the app by the event own NT path', async () => {
    const resolve = vi.spyOn(IdentityResolver.prototype, 'fromEvent');
    const h = await startCore();
    for (let i = 0; i < 50; i++) h.backend.emit(drop(fresh('C:\\Apps\\tool.exe'), { remotePort: 1000 + (i % 3) }));
    h.backend.emit(drop('C:\\Apps\\other.exe'));
    expect(resolve).toHaveBeenCalledTimes(2);
    const snap = h.core.snapshot();
    expect(snap.apps.find((a) => a.identity.key === 'path:c:\\apps\\tool.exe')?.blockedCount).toBe(50);
    expect(snap.activity.filter((e) => e.appKey === 'path:c:\\apps\\tool.exe')).toHaveLength(50);
    await h.core.stop();
  });

  it('notices within 64 attempts a drive letter remapped while running (same NT path, another DOS path)', async () => {
    const h = await startCore();
    const appId = '\\device\\harddiskvolume3\\apps\\tool.exe';
    h.backend.emit(drop('C:\\Apps\\tool.exe', { appId }));
    for (let i = 0; i < 64; i++) h.backend.emit(drop('E:\\Apps\\tool.exe', { appId }));
    const keys = h.core.snapshot().apps.map((a) => a.identity.key);
    expect(keys).toContain('path:e:\\apps\\tool.exe');
    await h.core.stop();
  });

  it('never takes an svchost identity from the app string alone', () => {
    const index = new AppIndex({ maxApps: 10, maxEndpointsPerApp: 4 });
    const event = drop('C:\\Windows\\System32\\svchost.exe') as NetEvent;
    const app = new IdentityResolver().fromEvent(event);
    index.observe(app, { time: 0, blocked: true, allowed: false, remoteAddress: '1.1.1.1' }, undefined, event);
    expect(index.recordFor(event)).toBeUndefined();
    const tool = drop('C:\\Apps\\tool.exe') as NetEvent;
    index.observe(new IdentityResolver().fromEvent(tool), { time: 0, blocked: true, allowed: false }, undefined, tool);
    expect(index.recordFor({ ...tool, appId: fresh(tool.appId!) })?.identity.key).toBe('path:c:\\apps\\tool.exe');
    expect(index.recordFor({ ...tool, packageSid: 'S-1-15-2-1' })).toBeUndefined();
  });

  it('keeps one string per endpoint, shared by the log entries and the decision', () => {
    const index = new AppIndex({ maxApps: 10, maxEndpointsPerApp: 4 });
    const event = drop('C:\\Apps\\tool.exe') as NetEvent;
    const app = new IdentityResolver().fromEvent(event);
    const first = fresh('10.0.0.1');
    const record = index.observe(
      app,
      { time: 0, blocked: true, allowed: false, remoteAddress: first },
      undefined,
      event,
    );
    index.observe(app, { time: 1, blocked: true, allowed: false, remoteAddress: fresh('10.0.0.1') }, record);
    index.observe(app, { time: 2, blocked: true, allowed: false, remoteAddress: fresh('10.0.0.1') }, record);
    // The log and the decision get the endpoint's own string, not the event's copy.
    expect(record.addressOf({ remoteAddress: fresh('10.0.0.1') })).toBe(first);
    expect(record.newEndpoint).toBe(false); // third attempt: no name asked (asked at 1 and 2)
    expect(record.endpoints.last?.count).toBe(3);
  });

  it('a decision closed meanwhile is not added to: the next block opens a new one', () => {
    let n = 0;
    const decisions = new PendingDecisions(() => `d${++n}`);
    const event = drop('C:\\Apps\\tool.exe') as NetEvent;
    const app = new IdentityResolver().fromEvent(event);
    const slot = { decision: undefined, keptOutAt: -1 };
    const attempt = { time: 0, blockedBy: 'windows-firewall' as const, remoteAddress: '10.0.0.1' };
    const policy = { defaultAction: 'block' as const };
    expect(decisions.observe(app, attempt, policy, slot)).toEqual({ id: 'd1', opened: true });
    expect(decisions.observe(app, attempt, policy, slot)).toEqual({ id: 'd1', opened: false });
    decisions.close('d1');
    expect(decisions.observe(app, attempt, policy, slot)).toEqual({ id: 'd2', opened: true });
    expect(decisions.get('d2')?.attempts).toBe(1);
    // Undo opens the closed decision again: the slot follows it.
    const memo = decisions.memo('path:c:\\apps\\tool.exe')!;
    decisions.close('d2');
    expect(decisions.restore(memo)?.id).toBe('d2');
    expect(decisions.observe(app, attempt, policy, slot)).toEqual({ id: 'd2', opened: false });
    expect(decisions.get('d2')?.attempts).toBe(2);
  });

  it('an app the budgets kept out is let in again the moment it leaves the kept-out list', () => {
    let n = 0;
    // Room for one open decision: a second app closes the first one's, which is then kept out.
    const decisions = new PendingDecisions(() => `d${++n}`, 1, 1);
    const tool = new IdentityResolver().fromEvent(drop('C:\\Apps\\tool.exe') as NetEvent);
    const other = new IdentityResolver().fromEvent(drop('C:\\Apps\\other.exe') as NetEvent);
    const toolSlot = { decision: undefined, keptOutAt: -1 };
    const attempt = { time: 0, blockedBy: 'windows-firewall' as const, remoteAddress: '10.0.0.1' };
    const policy = { defaultAction: 'block' as const };
    expect(decisions.observe(tool, attempt, policy, toolSlot)?.opened).toBe(true);
    expect(decisions.observe(other, attempt, policy, { decision: undefined, keptOutAt: -1 })?.evicted).toBe('d1');
    // Kept out, and remembered as such on its record: the next attempts open nothing.
    expect(decisions.observe(tool, attempt, policy, toolSlot)).toBeUndefined();
    expect(decisions.keptOut(tool.key, toolSlot)).toBe(true);
    // The user decided about it elsewhere (a rule made and removed, say): its next block opens a decision again.
    expect(decisions.forgetOverflow(tool.key)).toBe(true);
    expect(decisions.keptOut(tool.key, toolSlot)).toBe(false);
    expect(decisions.observe(tool, attempt, policy, toolSlot)?.opened).toBe(true);
  });
});

describe('asking for an app file signature and real case', () => {
  it('asks at most once a second per app under a flood, and again after that', async () => {
    const signatures = vi.spyOn(CodeSignatures.prototype, 'request');
    const realCase = vi.spyOn(RealCasePaths.prototype, 'request');
    const backend = Object.assign(new MemoryBackend(), {
      verifySignature: () => Promise.resolve({ verdict: 'unsigned', symbol: 'TRUST_E_NOSIGNATURE' }),
      realCasePath: (path: string) => Promise.resolve(path),
    });
    const h = await startCore({ backend: backend as MemoryBackend });
    for (let i = 0; i < 1_000; i++) h.backend.emit(drop('C:\\Apps\\tool.exe', { remotePort: i }));
    h.backend.emit(drop('C:\\Apps\\other.exe'));
    expect(signatures.mock.calls.map((c) => c[1])).toEqual(['path:c:\\apps\\tool.exe', 'path:c:\\apps\\other.exe']);
    expect(realCase).toHaveBeenCalledTimes(2);
    h.time.advance(1_000);
    h.backend.emit(drop('C:\\Apps\\tool.exe'));
    expect(signatures).toHaveBeenCalledTimes(3);
    await h.core.stop();
  });

  it('once the file is checked, asks again only when its signature is due for a recheck', async () => {
    const signatures = vi.spyOn(CodeSignatures.prototype, 'request');
    const realCase = vi.spyOn(RealCasePaths.prototype, 'request');
    const backend = Object.assign(new MemoryBackend(), {
      verifySignature: () => Promise.resolve({ verdict: 'unsigned', symbol: 'TRUST_E_NOSIGNATURE' }),
      realCasePath: (path: string) => Promise.resolve(path.replace('tool', 'Tool')),
    });
    const h = await startCore({ backend: backend as MemoryBackend });
    const row = () => h.core.snapshot().apps.find((a) => a.identity.key === 'path:c:\\apps\\tool.exe');
    h.backend.emit(drop('C:\\Apps\\tool.exe'));
    // The checks run from their queues' timers, then through the thread pool.
    await vi.waitFor(async () => {
      h.time.advance(50);
      await new Promise((r) => setImmediate(r));
      expect(row()?.publisher?.status).toBe('unsigned');
      expect(row()?.identity.path).toBe('C:\\Apps\\Tool.exe');
    });
    const elapsed = h.time.now();
    expect(signatures).toHaveBeenCalledTimes(1);
    // A second later the app asks once, and learns that nothing is due before the recheck a minute after the check.
    h.time.advance(1_000);
    h.backend.emit(drop('C:\\Apps\\tool.exe'));
    expect(signatures).toHaveBeenCalledTimes(2);
    for (let s = 0; s < 50; s++) {
      h.time.advance(1_000);
      h.backend.emit(drop('C:\\Apps\\tool.exe', { remotePort: s }));
    }
    expect(signatures).toHaveBeenCalledTimes(2);
    expect(realCase).toHaveBeenCalledTimes(2);
    h.time.advance(60_000 - (h.time.now() - elapsed) + 1_000);
    h.backend.emit(drop('C:\\Apps\\tool.exe'));
    expect(signatures).toHaveBeenCalledTimes(3);
    expect(signatures.mock.results.at(-1)?.value).toBe(0); // the recheck was queued
    await h.core.stop();
  });
});
