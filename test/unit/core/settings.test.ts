import { writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mergeSettings, settingsSchema } from '../../../electron/core/settings/schema';
import { startCore } from './support/core-harness';

describe('settings', () => {
  it('defaults are valid and documented values', () => {
    const d = defaultSettings();
    expect(settingsSchema.parse(d)).toEqual(d);
    expect(d).toMatchObject({
      mode: 'monitor',
      batchIntervalMs: 100,
      activityLogSize: 5000,
      notifications: { perAppMinutes: 10, maxPerMinute: 4 },
    });
  });

  it('merges partial updates and rejects bad ones without changing anything', () => {
    const d = defaultSettings();
    const next = mergeSettings(d, { notifications: { maxPerMinute: 2 }, reverseDns: false });
    expect(next.notifications).toEqual({ ...d.notifications, maxPerMinute: 2 });
    expect(next.reverseDns).toBe(false);
    expect(() => mergeSettings(d, { batchIntervalMs: 1 })).toThrow(/batchIntervalMs/);
    expect(() => mergeSettings(d, { colour: 'red' })).toThrow(/Settings not changed/);
    expect(
      mergeSettings({ ...d, decisionTimeoutSeconds: 30 }, { decisionTimeoutSeconds: null }).decisionTimeoutSeconds,
    ).toBeUndefined();
  });

  it('pauses and resumes notifications', async () => {
    const h = await startCore();
    const paused = await h.core.handlers['notifications.pause']({ minutes: 60 });
    expect(paused.notifications.pausedUntil).toBe(h.time.now() + 3_600_000);
    h.backend.emit({ type: 'drop', appPath: 'C:\\a.exe' });
    expect(h.notifications).toEqual([]);
    const resumed = await h.core.handlers['notifications.pause']({ minutes: 0 });
    expect(resumed.notifications.pausedUntil).toBeUndefined();
    await h.core.stop();
  });

  it('tells the UI which data folder holds the rules and settings', async () => {
    const h = await startCore();
    const snapshot = await h.core.handlers['snapshot.get']({});
    expect(snapshot.status.dataFolder).toBe(h.dataDir);
    await h.core.stop();
  });

  it('persists the mode and reports a corrupt settings file, starting from its backup', async () => {
    const h = await startCore();
    await h.core.handlers['mode.set']({ mode: 'enforce' });
    await h.core.handlers['settings.update']({ patch: { activityLogSize: 200 } });
    await h.core.stop();
    writeFileSync(join(h.dataDir, 'settings.json'), '{ broken');
    const again = await startCore({ dataDir: h.dataDir });
    const status = again.core.status();
    expect(status.mode).toBe('enforce');
    expect(status.notices.map((n) => n.message).join(' ')).toMatch(/settings\.json could not be read/);
    expect(readdirSync(h.dataDir).some((n) => n.startsWith('settings.json.corrupt-'))).toBe(true);
    await again.core.stop();
  });
});
