import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCK_TAG, parseTag } from '../../../electron/core/enforcement/filter-plan';
import { drop, MemoryBackend } from './support/memory-backend';
import { settle, startCore } from './support/core-harness';

describe('decisions and notifications', () => {
  it('opens one decision per app, merges later attempts and notifies once', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    for (let i = 0; i < 1000; i++) h.backend.emit(drop('C:\\Apps\\unknown.exe', { remoteAddress: `10.0.${i % 3}.1` }));
    const snap = h.core.snapshot();
    expect(snap.decisions).toHaveLength(1);
    expect(snap.decisions[0]).toMatchObject({ attempts: 1000 });
    expect(snap.decisions[0]!.endpoints).toHaveLength(3);
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]).toMatchObject({ appKey: 'path:c:\\apps\\unknown.exe', title: 'Unknown was blocked' });
    expect(snap.apps[0]!.state).toBe('pending');
    await h.core.stop();
  });

  it('resolving a decision creates the scoped rule, closes the decision and records who decided', async () => {
    const h = await startCore();
    h.backend.emit(drop('C:\\Apps\\chat.exe', { remoteAddress: '1.2.3.4', remotePort: 5222, protocol: 6 }));
    const decision = h.core.snapshot().decisions[0]!;
    const rule = await h.core.handlers['decisions.resolve']({
      decisionId: decision.id,
      action: 'allow',
      scope: 'appAndPort',
      duration: '1h',
    });
    expect(rule).toMatchObject({ action: 'allow', remotePort: 5222, protocol: 6, source: 'prompt', decidedBy: 'user' });
    expect(rule.duration).toEqual({ kind: 'until', until: h.time.now() + 3_600_000 });
    expect(h.backend.withTag(`r:${rule.id}:`)).toHaveLength(2);
    const snap = h.core.snapshot();
    expect(snap.decisions).toEqual([]);
    await expect(
      Promise.resolve().then(() =>
        h.core.handlers['decisions.resolve']({
          decisionId: decision.id,
          action: 'allow',
          scope: 'app',
          duration: 'forever',
        }),
      ),
    ).rejects.toThrow(/no longer pending/);
    await h.core.stop();
  });

  it('a decision timeout applies the default action until restart', async () => {
    const h = await startCore();
    await h.core.handlers['settings.update']({ patch: { decisionTimeoutSeconds: 30, decisionDefaultAction: 'block' } });
    h.backend.emit(drop('C:\\Apps\\late.exe'));
    expect(h.core.snapshot().decisions[0]!.deadline).toBe(h.time.now() + 30_000);
    h.time.advance(30_000);
    await settle();
    const snap = h.core.snapshot();
    expect(snap.decisions).toEqual([]);
    expect(snap.rules).toHaveLength(1);
    expect(snap.rules[0]).toMatchObject({ action: 'block', decidedBy: 'timeout', duration: { kind: 'untilRestart' } });
    await h.core.stop();
  });

  it('ignored apps and apps with a rule open no decision; drops by our own rules open none', async () => {
    const h = await startCore();
    h.backend.emit(drop('C:\\a.exe'));
    await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\a.exe'], decision: 'ignore' });
    h.backend.emit(drop('C:\\a.exe'));
    const { rules } = await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\b.exe'], decision: 'block' });
    const ourFilter = h.backend.withTag(`r:${rules[0]!.id}:`)[0]!;
    h.backend.emit(drop('C:\\b.exe', { filterId: ourFilter.filterId }));
    const snap = h.core.snapshot();
    expect(snap.decisions).toEqual([]);
    expect(snap.apps.find((a) => a.identity.key === 'path:c:\\a.exe')?.state).toBe('ignored');
    const b = snap.apps.find((a) => a.identity.key === 'path:c:\\b.exe')!;
    expect(b).toMatchObject({ state: 'blocked', blockedBy: 'portcullis', ruleId: rules[0]!.id });
    expect(snap.rules[0]!.lastHit).toBe(h.time.now());
    await h.core.stop();
  });

  it('no decisions in Learning or Off', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'learning' });
    h.backend.emit(drop('C:\\a.exe'));
    await h.core.handlers['mode.set']({ mode: 'off' });
    h.backend.emit(drop('C:\\b.exe'));
    expect(h.core.snapshot().decisions).toEqual([]);
    expect(h.notifications).toEqual([]);
    await h.core.stop();
  });
});

describe('modes and enforcement', () => {
  it('Enforce on a PC whose Windows is in D:\\WINNT: the essentials name svchost.exe and lsass.exe there', async () => {
    const backend = Object.assign(new MemoryBackend(), { windowsFolder: () => 'D:\\WINNT' });
    backend.drives.add('D:');
    const h = await startCore({ backend });
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    const paths = new Set(h.backend.withTag('e:').map((f) => f.spec.appPath));
    expect(paths).toEqual(
      new Set([undefined, 'System', 'D:\\WINNT\\System32\\svchost.exe', 'D:\\WINNT\\System32\\lsass.exe']),
    );
    await h.core.stop();
  });

  it('Enforce adds the default block and the enabled essentials; Off removes everything of ours', async () => {
    const h = await startCore();
    expect(h.backend.filters.size).toBe(0);
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    expect(h.backend.withTag(DEFAULT_BLOCK_TAG)).toHaveLength(2);
    const essentials = h.core.snapshot().settings.essentials;
    const enabled = essentials.filter((e) => e.enabled);
    const essentialTags = new Set(h.backend.withTag('e:').map((f) => f.tag));
    // One spec per service of a service-scoped entry, one for any other entry.
    expect(essentialTags.size).toBe(enabled.reduce((n, e) => n + (e.services?.length ?? 1), 0));
    const ids = new Set([...essentialTags].map((t) => parseTag(t)).map((s) => (s?.kind === 'essential' ? s.id : '')));
    expect([...ids].sort()).toEqual(enabled.map((e) => e.id).sort());
    expect(essentials.map((e) => e.id)).toEqual(
      expect.arrayContaining(['dhcp', 'dns', 'ndp', 'time', 'loopback', 'svchost-https', 'lsass-kerberos']),
    );
    const before = h.backend.transactions;
    await h.core.handlers['mode.set']({ mode: 'off' });
    expect(h.backend.transactions).toBe(before + 1);
    expect(h.backend.filters.size).toBe(0);
    await h.core.stop();
  });

  it('editing the essentials changes the filters', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    const essentials = h.core
      .snapshot()
      .settings.essentials.map((e) => (e.id === 'dns' ? { ...e, enabled: false } : e));
    await h.core.handlers['settings.update']({ patch: { essentials } });
    expect(h.backend.withTag('e:dns:')).toHaveLength(0);
    expect(h.backend.withTag('e:time:').length).toBeGreaterThan(0);
    await h.core.stop();
  });

  it('Learning keeps allow rules only and turns allow events on', async () => {
    const h = await startCore();
    await h.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    await h.core.handlers['rules.create']({
      appKey: 'path:c:\\b.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(h.backend.filters.size).toBe(4);
    await h.core.handlers['mode.set']({ mode: 'learning' });
    expect(h.backend.allowEvents).toBe(true);
    expect([...h.backend.filters.values()].every((f) => f.action === 'permit')).toBe(true);
    expect(h.backend.filters.size).toBe(2);
    await h.core.stop();
  });

  it('a change that WFP refuses is reported and retried with the next change', async () => {
    const h = await startCore();
    h.backend.failNextApply = new Error('FwpmTransactionCommit0 failed: FWP_E_TXN_IN_PROGRESS');
    await expect(
      Promise.resolve().then(() =>
        h.core.handlers['rules.create']({
          appKey: 'path:c:\\a.exe',
          action: 'allow',
          direction: 'out',
          duration: { kind: 'forever' },
        }),
      ),
    ).rejects.toThrow(/saved but WFP refused.*FWP_E_TXN_IN_PROGRESS/);
    expect(h.core.status().notices.at(-1)?.message).toMatch(/FWP_E_TXN_IN_PROGRESS/);
    expect(h.core.snapshot().rules).toHaveLength(1);
    await h.core.handlers['rules.create']({
      appKey: 'path:c:\\b.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    expect(h.backend.withTag('r:').length).toBe(4);
    await h.core.stop();
  });

  it('a timed rule expires and its filters go', async () => {
    const h = await startCore();
    const rule = await h.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'allow',
      direction: 'both',
      duration: { kind: 'until', until: h.time.now() + 60_000 },
    });
    expect(h.backend.withTag(`r:${rule.id}:`)).toHaveLength(4);
    h.time.advance(59_999);
    expect(h.backend.withTag(`r:${rule.id}:`)).toHaveLength(4);
    h.time.advance(1);
    await settle();
    expect(h.backend.withTag(`r:${rule.id}:`)).toHaveLength(0);
    expect(h.core.snapshot().rules).toEqual([]);
    expect(h.deltas.some((d) => d.removedRules?.includes(rule.id))).toBe(true);
    await h.core.stop();
  });

  it('a restart reconciles: keeps the right filters, removes orphans and duplicates, forgets until-restart rules', async () => {
    const h = await startCore();
    const forever = await h.core.handlers['rules.create']({
      appKey: 'path:c:\\a.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    const once = await h.core.handlers['rules.create']({
      appKey: 'path:c:\\b.exe',
      action: 'allow',
      direction: 'out',
      duration: { kind: 'untilRestart' },
    });
    await h.core.stop();
    // Someone duplicated a filter of ours and left an untagged one.
    const original = h.backend.withTag(`r:${forever.id}:`)[0]!;
    h.backend.applyNow({ add: [original.spec, { ...original.spec, tag: '' }], remove: [] });
    expect(h.backend.withTag(`r:${forever.id}:`)).toHaveLength(4);
    const kept = h.backend
      .withTag(`r:${forever.id}:`)
      .slice(0, 2)
      .map((f) => f.filterId);

    const again = await startCore({ backend: h.backend, dataDir: h.dataDir });
    expect(again.core.snapshot().rules.map((r) => r.id)).toEqual([forever.id]);
    expect(h.backend.withTag(`r:${forever.id}:`).map((f) => f.filterId)).toEqual(kept);
    expect(h.backend.withTag(`r:${once.id}:`)).toHaveLength(0);
    expect(h.backend.filters.size).toBe(2);
    await again.core.stop();
  });
});

describe('learning', () => {
  it('turns every app seen into a candidate and commits some or all as allow rules', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'learning' });
    for (const name of ['a', 'b', 'c']) h.backend.emit({ ...drop(`C:\\${name}.exe`), type: 'allow' });
    h.backend.emit({ ...drop('C:\\a.exe', { remotePort: 80 }), type: 'allow' });
    const candidates = h.core.snapshot().candidates;
    expect(candidates.map((c) => c.app.key).sort()).toEqual(['path:c:\\a.exe', 'path:c:\\b.exe', 'path:c:\\c.exe']);
    expect(candidates.find((c) => c.app.key === 'path:c:\\a.exe')).toMatchObject({
      connections: 2,
      proposed: { action: 'allow' },
    });
    const discarded = await h.core.handlers['learning.discard']({ appKeys: ['path:c:\\c.exe'] });
    expect(discarded.removed).toEqual(['path:c:\\c.exe']);
    const committed = await h.core.handlers['learning.commit']({ appKeys: 'all' });
    expect(committed.rules.map((r) => r.source)).toEqual(['learning', 'learning']);
    expect(h.core.snapshot().candidates).toEqual([]);
    expect(h.backend.withTag('r:')).toHaveLength(4);
    await h.core.stop();
  });

  it('commits by itself at the end of a learning period', async () => {
    const h = await startCore();
    await h.core.handlers['settings.update']({ patch: { mode: 'learning', learningUntil: h.time.now() + 3_600_000 } });
    h.backend.emit({ ...drop('C:\\a.exe'), type: 'allow' });
    h.time.advance(3_600_000);
    await settle();
    const snap = h.core.snapshot();
    expect(snap.rules).toHaveLength(1);
    expect(snap.rules[0]).toMatchObject({ decidedBy: 'learning-period', action: 'allow' });
    expect(snap.settings.learningUntil).toBeUndefined();
    await h.core.stop();
  });
});
