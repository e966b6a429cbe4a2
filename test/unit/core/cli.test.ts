import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/run';
import { drop, MemoryBackend } from './support/memory-backend';

async function run(
  argv: string[],
  backend = new MemoryBackend(),
  dataDir = mkdtempSync(join(tmpdir(), 'portcullis-cli-')),
) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    { backend: () => backend, dataDir },
  );
  return { code, out, err, backend, dataDir };
}

describe('portcullis CLI', () => {
  it('rejects bad usage with exit code 2, one line naming the mistake and one hint', async () => {
    for (const [argv, hint] of [
      [['frobnicate'], 'portcullis --help'],
      [['mode', 'loud'], 'portcullis mode --help'],
      [['rules', 'allow'], 'portcullis rules allow --help'],
      [['status', '--colour'], 'portcullis status --help'],
      [['watch', '--limit', '0'], 'portcullis watch --help'],
      [['mode', 'learning', '--dry-run'], 'portcullis mode --help'],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      const lines = r.err.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^portcullis: /);
      expect(lines[1]).toBe(`Run \`${hint}\` for usage.`);
    }
  });

  it('an unknown option changes nothing: `mode learning --dry-run` leaves the mode alone', async () => {
    const r = await run(['mode', 'learning', '--dry-run']);
    expect(r.err).toMatch(/mode takes no options, got --dry-run/);
    const status = await run(['mode'], r.backend, r.dataDir);
    expect(status.out.trim()).toBe('monitor');
  });

  it('has -h/--help, per-command help, -v/--version and names the data folder', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], []]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: portcullis <command>/);
      expect(r.out).toContain(`Data folder: ${r.dataDir}`);
    }
    for (const argv of [
      ['import', '--help'],
      ['help', 'import'],
      ['import', '-h'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: portcullis import <file> \[--dry-run\]\n/);
      expect(r.out).not.toMatch(/Commands:/);
    }
    const rules = await run(['rules', '--help']);
    expect(rules.out).toMatch(/rules list/);
    expect(rules.out).toMatch(/rules remove/);
    for (const flag of ['-v', '--version']) {
      let out = '';
      const code = await runCli(
        [flag],
        { stdout: (t) => (out += t), stderr: () => undefined },
        {
          backend: () => new MemoryBackend(),
          version: '1.2.3',
        },
      );
      expect(code).toBe(0);
      expect(out).toBe('portcullis 1.2.3\n');
    }
  });

  it('says clearly when a file is missing, without a raw ENOENT', async () => {
    const r = await run(['import', 'no-such-file.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^portcullis: cannot read no-such-file\.json: there is no such file\. Check the path/);
    expect(r.err).not.toMatch(/ENOENT/);
    const folder = await run(['import', r.dataDir]);
    expect(folder.err).toMatch(/it is a folder, not a file/);
  });

  it('`rules remove` with an unknown id removes nothing and says so', async () => {
    const first = await run(['rules', 'allow', 'C:\\Apps\\a.exe']);
    const id = (/rule ([\w-]+)/.exec(first.out) as RegExpExecArray)[1] as string;
    const r = await run(['rules', 'remove', id, 'nope'], first.backend, first.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/no rule with id nope; nothing was removed/);
    expect(first.backend.withTag('r:')).toHaveLength(2);
  });

  it('allows, lists, exports, removes and imports rules on the same data folder', async () => {
    const first = await run(['rules', 'allow', 'C:\\Program Files\\App\\app.exe']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Allowed C:\\Program Files\\App\\app\.exe \(rule [\w-]+\)/);
    const { backend, dataDir } = first;
    expect(backend.withTag('r:')).toHaveLength(2);
    const list = await run(['rules', 'list', '--json'], backend, dataDir);
    const rules = JSON.parse(list.out) as { id: string; action: string; decidedBy: string }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ action: 'allow', decidedBy: 'cli' });
    const text = await run(['rules', 'list'], backend, dataDir);
    expect(text.out).toMatch(/ID\s+ACTION\s+DIR\s+SCOPE\s+DURATION\s+APPLICATION/);
    const exported = await run(['export'], backend, dataDir);
    const file = join(dataDir, 'export.json');
    const written = await run(['export', file], backend, dataDir);
    expect(written.code).toBe(0);
    const rulesOf = (text: string) => (JSON.parse(text) as { rules: unknown[] }).rules;
    expect(rulesOf(readFileSync(file, 'utf8'))).toEqual(rulesOf(exported.out));
    // Never over an existing file: it could be a link to any file of the system, and this runs elevated.
    const again = await run(['export', file], backend, dataDir);
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      `portcullis: cannot write ${file}: it already exists, and is not overwritten (remove it or name a new file).\n`,
    );
    const removed = await run(['rules', 'remove', rules[0]!.id], backend, dataDir);
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/Removed 1 rule\./);
    expect(backend.filters.size).toBe(0);
    const dry = await run(['import', file, '--dry-run'], backend, dataDir);
    expect(dry.out).toMatch(/1 to add, 0 to replace, 0 unchanged/);
    expect(backend.filters.size).toBe(0);
    const imported = await run(['import', file], backend, dataDir);
    expect(imported.code).toBe(0);
    expect(backend.withTag('r:')).toHaveLength(2);
    const bad = join(dataDir, 'bad.json');
    (await import('node:fs')).writeFileSync(bad, '{"format":"portcullis-rules","schemaVersion":1,"rules":[{"id":1}]}');
    const failed = await run(['import', bad], backend, dataDir);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/nothing was imported/);
  });

  it('switches and shows the mode, prints status, and resets', async () => {
    const r = await run(['mode', 'enforce']);
    expect(r.out.trim()).toBe('enforce');
    expect(r.backend.withTag('d:')).toHaveLength(2);
    const status = await run(['status', '--json'], r.backend, r.dataDir);
    expect(JSON.parse(status.out)).toMatchObject({ mode: 'enforce', backend: 'simulator', dataDir: r.dataDir });
    const reset = await run(['reset'], r.backend, r.dataDir);
    expect(reset.code).toBe(0);
    expect(r.backend.filters.size).toBe(0);
    expect(r.backend.providerAndSublayer).toBe(false);
    expect(JSON.parse(readFileSync(join(r.dataDir, 'settings.json'), 'utf8')).mode).toBe('off');
  });

  it('watch --json prints one JSON object per event', async () => {
    const backend = new MemoryBackend();
    const running = run(['watch', '--json', '--limit', '3'], backend);
    while (!backend.sink) await new Promise((resolve) => setTimeout(resolve, 1));
    backend.emit(drop('C:\\a.exe'));
    backend.emit({ ...drop('C:\\b.exe'), type: 'allow' });
    backend.emit(drop('C:\\c.exe', { remotePort: 80 }));
    const r = await running;
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(3);
    const objects = lines.map(
      (l) => JSON.parse(l) as { appName: string; verdict: string; event: { remotePort: number } },
    );
    expect(objects.map((o) => o.verdict)).toEqual(['blocked', 'allowed', 'blocked']);
    expect(objects[2]!.event.remotePort).toBe(80);
  });

  it('after watch stops, ends the process at once when a file lookup is still inside a call, and says which', async () => {
    for (const held of [[], ['the signature check of \\\\nas\\tools\\a.exe (asked 12 s ago)']]) {
      const backend = Object.assign(new MemoryBackend(), { callsHoldingExit: () => held });
      const ended: { subscribed: boolean }[] = [];
      let err = '';
      const running = runCli(
        ['watch', '--json', '--limit', '1'],
        { stdout: () => undefined, stderr: (t) => (err += t) },
        {
          backend: () => backend,
          dataDir: mkdtempSync(join(tmpdir(), 'portcullis-cli-')),
          endProcessNow: async () => void ended.push({ subscribed: backend.sink !== undefined }),
        },
      );
      while (!backend.sink) await new Promise((resolve) => setTimeout(resolve, 1));
      backend.emit(drop('C:\\a.exe'));
      expect(await running).toBe(0);
      if (held.length === 0) {
        expect(ended).toEqual([]);
        expect(err).toBe('');
      } else {
        // Only once core has stopped: the subscription is closed before the process is ended.
        expect(ended).toEqual([{ subscribed: false }]);
        expect(err).toBe(`portcullis: ending at once: ${held[0]} has not returned, and exiting would wait for it.\n`);
      }
    }
  });

  it('reports a backend that cannot open with exit code 1 and its message', async () => {
    const backend = new MemoryBackend();
    backend.open = () =>
      Promise.reject(new Error('FwpmEngineOpen0 failed: ERROR_ACCESS_DENIED (5). Run as administrator.'));
    const r = await run(['status'], backend);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ERROR_ACCESS_DENIED.*administrator/);
  });
});
