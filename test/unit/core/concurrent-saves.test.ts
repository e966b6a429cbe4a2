// The app and `portcullis` saving the same data folder at the same time, as separate processes: every change either
// acknowledged is on disk at the end (rules added and removed, each one's settings field), and no save failed
// because the other process deleted its temporary file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUNDS = 100;

function saver(dir: string, role: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'support', 'concurrent-saver.ts'), dir, role, String(ROUNDS)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('one store shared by two processes', () => {
  it(`${ROUNDS} rounds of app + CLI saves at once lose no acknowledged change`, { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-concurrent-'));
    const running = [saver(dir, 'app'), saver(dir, 'cli')];
    // Let both load and wait at the barrier, then release them together.
    await new Promise((r) => setTimeout(r, 1_500));
    writeFileSync(join(dir, 'go'), '');
    const [app, cli] = await Promise.all(running);
    expect(app!.err + cli!.err).toBe('');
    expect([app!.code, cli!.code]).toEqual([0, 0]);

    const doc = JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as { rules: { id: string }[] };
    const onDisk = new Set(doc.rules.map((r) => r.id));
    const lost: string[] = [];
    let acknowledged = 0;
    for (const out of [app!.out, cli!.out]) {
      const removed = new Set(out.match(/^remove (\S+)$/gm)?.map((l) => l.slice(7)));
      for (const line of out.match(/^add (\S+)$/gm) ?? []) {
        const id = line.slice(4);
        acknowledged++;
        if (!removed.has(id) && !onDisk.has(id)) lost.push(`added ${id}`);
      }
      for (const id of removed) {
        acknowledged++;
        if (onDisk.has(id)) lost.push(`removal of ${id} undone`);
      }
    }
    expect(acknowledged).toBe(2 * (ROUNDS + Math.floor(ROUNDS / 3)));
    expect(lost).toEqual([]);
    expect(onDisk.size).toBe(2 * (ROUNDS - Math.floor(ROUNDS / 3)));

    const settings = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(settings).toMatchObject({ activityLogSize: 1000 + ROUNDS - 1, batchIntervalMs: 100 + ROUNDS - 1 });
    // Nothing left behind: no temporary file, no lock.
    expect(readdirSync(dir).filter((n) => /\.tmp-|\.lock/.test(n))).toEqual([]);
  });
});
