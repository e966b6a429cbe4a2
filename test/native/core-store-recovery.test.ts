// A crash between writing and renaming the rule store leaves the old or the new store on restart, never
// an empty or corrupt one; a corrupt store is set aside, reported, and the backup loaded (and enforced).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enumerateOurs, outbound, useCoreOnSimulator } from './core/support';

const { sim, startCore } = useCoreOnSimulator();

class Crash extends Error {}

describe('core on the simulator: rule store recovery', () => {
  it('a crash between writing and renaming keeps the old store, and WFP follows it', async () => {
    const first = await startCore();
    const kept = await first.core.handlers['rules.create']({
      appKey: 'path:c:\\apps\\kept.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    await first.core.stop();

    // This core "dies" at the worst moment of its next save.
    const doomed = await startCore(first.dataDir, {
      persistenceHooks: {
        rules: {
          beforeRename: () => {
            throw new Crash('power cut');
          },
        },
      },
    });
    await expect(
      Promise.resolve(
        doomed.core.handlers['rules.create']({
          appKey: 'path:c:\\apps\\lost.exe',
          action: 'block',
          direction: 'out',
          duration: { kind: 'forever' },
        }),
      ),
    ).rejects.toThrow(Crash);
    await doomed.core.stop();
    // The failed save removed its own temporary file (a killed process's is removed at the next load, below).
    expect(readdirSync(first.dataDir).some((n) => n.startsWith('rules.json.tmp-'))).toBe(false);

    const after = await startCore(first.dataDir);
    expect(after.core.snapshot().rules.map((r) => r.id)).toEqual([kept.id]);
    expect(after.core.status().notices).toEqual([]);
    expect(readdirSync(first.dataDir).some((n) => n.startsWith('rules.json.tmp-'))).toBe(false);
    expect(sim.connect(outbound('C:\\Apps\\kept.exe')).action).toBe('block');
    expect(sim.connect(outbound('C:\\Apps\\lost.exe')).action).toBe('permit');
  });

  it('a process killed (SIGKILL) between writing and renaming leaves the old store', () => {
    const writer = join(import.meta.dirname, '..', 'unit', 'core', 'support', 'crash-writer.ts');
    const data = mkdtempSync(join(tmpdir(), 'portcullis-kill-'));
    const doc = (id: string) =>
      JSON.stringify({
        schemaVersion: 1,
        ignored: [],
        rules: [
          {
            id,
            app: { key: 'path:c:\\a.exe', kind: 'path', displayName: 'A', path: 'C:\\a.exe' },
            action: 'allow',
            direction: 'out',
            duration: { kind: 'forever' },
            created: 1,
            source: 'user',
          },
        ],
      });
    writeFileSync(join(data, 'rules.json'), doc('old'));
    const child = spawnSync(process.execPath, ['--import', 'tsx', writer, data, doc('new')], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(data, 'rules.json'), 'utf8')).rules[0].id).toBe('old');
  });

  it('a corrupt store is set aside, reported, and the backup is loaded and enforced', async () => {
    const first = await startCore();
    const a = await first.core.handlers['rules.create']({
      appKey: 'path:c:\\apps\\a.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    await first.core.handlers['rules.create']({
      appKey: 'path:c:\\apps\\b.exe',
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
    await first.core.stop();
    writeFileSync(join(first.dataDir, 'rules.json'), '{"schemaVersion":1,"rules":[{"id":"x"'); // torn by a disk fault
    sim.reset();

    const second = await startCore(first.dataDir);
    const notices = second.core
      .status()
      .notices.map((n) => n.message)
      .join('\n');
    expect(notices).toMatch(/rules\.json could not be read .*moved to rules\.json\.corrupt-/);
    expect(notices).toMatch(/backup rules\.json\.bak was loaded/);
    expect(readdirSync(first.dataDir).filter((n) => n.startsWith('rules.json.corrupt-'))).toHaveLength(1);
    // The backup is the store before the last change: rule a only.
    expect(second.core.snapshot().rules.map((r) => r.id)).toEqual([a.id]);
    expect((await enumerateOurs()).filters).toHaveLength(2);
    expect(sim.connect(outbound('C:\\Apps\\a.exe')).action).toBe('block');
  });
});
