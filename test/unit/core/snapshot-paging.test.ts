// The UI's snapshot at many apps: the first screen at once (the most recently active apps), the rest a page per
// request, so that no answer holds main's thread for long. Every app arrives exactly once; apps gone meanwhile do
// not come back.
import { describe, expect, it } from 'vitest';
import type { AppEntry, Rule } from '../../../electron/core/model';
import {
  ACTIVITY_PAGE,
  APPS_PAGE,
  FIRST_SCREEN_ACTIVITY,
  FIRST_SCREEN_APPS,
  FIRST_SCREEN_RULES,
  RULES_PAGE,
} from '../../../electron/core/facade/snapshot-pages';
import { drop } from './support/memory-backend';
import { startCore } from './support/core-harness';

describe('paged snapshot', () => {
  it('gives the newest apps first, then every other app exactly once in pages', async () => {
    const h = await startCore();
    const total = FIRST_SCREEN_APPS + APPS_PAGE * 2 + 123;
    for (let i = 0; i < total; i++) {
      h.time.advance(1);
      h.backend.emit(drop(`C:\\Apps\\app${i}.exe`));
    }
    const first = await h.core.handlers['snapshot.get']({});
    expect(first.apps).toHaveLength(FIRST_SCREEN_APPS);
    // The most recently active first: the last apps that sent events.
    expect(first.apps[0]!.identity.path).toBe(`C:\\Apps\\app${total - 1}.exe`);
    expect(first.appsNext).toBe(FIRST_SCREEN_APPS);
    const keys = first.apps.map((a: AppEntry) => a.identity.key);
    let cursor = first.appsNext;
    let pages = 0;
    while (cursor !== undefined) {
      const page = await h.core.handlers['snapshot.apps']({ cursor });
      expect(page.apps.length).toBeLessThanOrEqual(APPS_PAGE);
      keys.push(...page.apps.map((a: AppEntry) => a.identity.key));
      cursor = page.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(keys).size).toBe(total);
    expect(keys.sort()).toEqual(
      h.core
        .snapshot()
        .apps.map((a: AppEntry) => a.identity.key)
        .sort(),
    );
    await h.core.stop();
  });

  it('gives the first rules at once, then every other rule exactly once in pages; a rule removed meanwhile stays gone', async () => {
    const h = await startCore();
    const total = FIRST_SCREEN_RULES + RULES_PAGE + 345;
    const appKeys = Array.from({ length: total }, (_, i) => `path:c:\\apps\\app${i}.exe`);
    await h.core.handlers['apps.decide']({ appKeys, decision: 'allow' });
    const first = await h.core.handlers['snapshot.get']({});
    expect(first.rules).toHaveLength(FIRST_SCREEN_RULES);
    expect(first.rulesNext).toBe(FIRST_SCREEN_RULES);
    // Removed after the first screen was taken: a page must not bring it back.
    const all = h.core.snapshot().rules;
    const shown = new Set(first.rules.map((r: Rule) => r.id));
    const later = all.find((r: Rule) => !shown.has(r.id))!;
    await h.core.handlers['rules.remove']({ ids: [later.id] });
    const ids = first.rules.map((r: Rule) => r.id);
    let cursor = first.rulesNext;
    let pages = 0;
    while (cursor !== undefined) {
      const page = await h.core.handlers['snapshot.rules']({ cursor });
      expect(page.rules.length).toBeLessThanOrEqual(RULES_PAGE);
      ids.push(...page.rules.map((r: Rule) => r.id));
      cursor = page.next;
      pages++;
    }
    expect(pages).toBe(2);
    expect(ids).not.toContain(later.id);
    expect(new Set(ids).size).toBe(total - 1);
    expect(ids.sort()).toEqual(
      h.core
        .snapshot()
        .rules.map((r: Rule) => r.id)
        .sort(),
    );
    await h.core.stop();
  });

  it('a small index fits the first screen: no pages', async () => {
    const h = await startCore();
    for (let i = 0; i < 10; i++) h.backend.emit(drop(`C:\\Apps\\app${i}.exe`));
    await h.core.handlers['apps.decide']({ appKeys: ['path:c:\\apps\\app1.exe'], decision: 'allow' });
    const first = await h.core.handlers['snapshot.get']({});
    expect(first.apps).toHaveLength(10);
    expect(first.appsNext).toBeUndefined();
    expect(first.rules).toHaveLength(1);
    expect(first.rulesNext).toBeUndefined();
    await h.core.stop();
  });

  it('a page skips apps that left the index since the snapshot was taken', async () => {
    const h = await startCore({ limits: { maxApps: FIRST_SCREEN_APPS + 50 } });
    for (let i = 0; i < FIRST_SCREEN_APPS + 50; i++) {
      h.time.advance(1);
      h.backend.emit(drop(`C:\\Apps\\app${i}.exe`));
    }
    const first = await h.core.handlers['snapshot.get']({});
    // Ten new apps push the ten quietest out of the index; those were on the page still to come.
    for (let i = 0; i < 10; i++) h.backend.emit(drop(`C:\\Apps\\late${i}.exe`));
    const page = await h.core.handlers['snapshot.apps']({ cursor: first.appsNext! });
    expect(page.next).toBeUndefined();
    expect(page.apps).toHaveLength(40);
    expect(page.apps.some((a: AppEntry) => a.identity.path === 'C:\\Apps\\app0.exe')).toBe(false);
    await h.core.stop();
  });

  it('gives the newest log entries first, then older ones in pages, each exactly once, up to the page maximum', async () => {
    const h = await startCore();
    await h.core.handlers['settings.update']({ patch: { activityLogSize: 5_000 } });
    const total = FIRST_SCREEN_ACTIVITY + ACTIVITY_PAGE * 2 + 77;
    for (let i = 0; i < total; i++) h.backend.emit(drop(`C:\\Apps\\app${i % 7}.exe`, { remotePort: i }));
    const first = await h.core.handlers['snapshot.get']({});
    expect(first.activity).toHaveLength(FIRST_SCREEN_ACTIVITY);
    expect(first.activity.at(-1)!.remotePort).toBe(total - 1);
    expect(first.activityNext).toBe(first.activity[0]!.seq);
    const ports = first.activity.map((e) => e.remotePort);
    let before = first.activityNext;
    let pages = 0;
    while (before !== undefined) {
      const page = await h.core.handlers['snapshot.activity']({ before });
      expect(page.activity.length).toBeLessThanOrEqual(ACTIVITY_PAGE);
      // Oldest first within a page, every one older than where the page started.
      expect(page.activity.every((e, i, all) => e.seq < before! && (i === 0 || all[i - 1]!.seq < e.seq))).toBe(true);
      ports.unshift(...page.activity.map((e) => e.remotePort));
      before = page.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ports).toEqual(Array.from({ length: total }, (_, i) => i));
    await h.core.stop();
  });

  it('a short log fits the first screen: no activity pages', async () => {
    const h = await startCore();
    for (let i = 0; i < 10; i++) h.backend.emit(drop('C:\\Apps\\a.exe', { remotePort: i }));
    const first = await h.core.handlers['snapshot.get']({});
    expect(first.activity).toHaveLength(10);
    expect(first.activityNext).toBeUndefined();
    await h.core.stop();
  });
});
