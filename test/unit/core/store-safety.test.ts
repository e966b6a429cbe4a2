// Saves that fail change nothing in memory; another process's save in flight keeps its temporary file; a lock left
// by a process that died is broken.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLock, LockTimeoutError } from '../../../electron/core/persistence/file-lock';
import type { RuleDraft } from '../../../electron/core/rules/rule-store';
import { ruleStoreIn } from './support/rule-fixtures';

const store = ruleStoreIn;

function draft(path: string): RuleDraft {
  return {
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: path, path },
    action: 'allow',
    direction: 'out',
    duration: { kind: 'forever' },
    source: 'user',
  };
}

const onDisk = (dir: string): string[] =>
  (JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as { rules: { app: { path: string } }[] }).rules.map(
    (r) => r.app.path,
  );

describe('store safety', () => {
  it('a failed save leaves memory as it was: the next unrelated save does not carry the failed change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-rollback-'));
    let failNext = false;
    const s = store(dir, {
      beforeRename: () => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
      },
    });
    await s.add([draft('C:\\a.exe')]);
    failNext = true;
    await expect(s.add([draft('C:\\evil.exe')])).rejects.toThrow(/ENOSPC/);
    expect(s.all().map((r) => r.app.path)).toEqual(['C:\\a.exe']);
    failNext = true;
    await expect(s.remove(['r1'])).rejects.toThrow(/ENOSPC/);
    expect(s.size).toBe(1);
    await s.add([draft('C:\\b.exe')]);
    expect(onDisk(dir)).toEqual(['C:\\a.exe', 'C:\\b.exe']);
  });

  it("keeps another live process's temporary file and removes a dead one's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-temps-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const live = join(dir, `rules.json.tmp-${process.ppid}-aaaaaaaaaaaa`);
    const gone = join(dir, `rules.json.tmp-${dead.stdout}-bbbbbbbbbbbb`);
    writeFileSync(live, '{');
    writeFileSync(gone, '{');
    store(dir);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(gone)).toBe(false);
  });

  it('breaks a lock whose owner died, and times out with a sentence on one held by a live process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const path = join(dir, 'rules.json.lock');
    writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), nonce: 'x', time: Date.now() }));
    expect(new FileLock(path).run(() => 'ran')).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);

    writeFileSync(path, JSON.stringify({ pid: process.ppid, nonce: 'y', time: Date.now() }));
    expect(() => new FileLock(path, { timeoutMs: 100 }).run(() => 'ran')).toThrow(LockTimeoutError);
    expect(() => new FileLock(path, { timeoutMs: 100 }).run(() => 'ran')).toThrow(/Close the other Portcullis/);
    expect(existsSync(path)).toBe(true); // a live owner's lock is never taken away
  });
});
