import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFile } from '../../../electron/core/persistence/json-file';
import { emptyRulesDocument } from '../../../electron/core/rules/rule-store';
import { rulesDocumentSchema, type RulesDocument } from '../../../electron/core/rules/schema';
import { defaultDataDir } from '../../../electron/core/persistence/data-dir';

const clock = { now: () => Date.UTC(2025, 2, 1, 8, 30, 0) };

function docWith(...paths: string[]): RulesDocument {
  return {
    schemaVersion: 2,
    ignored: [],
    rules: paths.map((p, i) => ({
      id: `r${i}`,
      app: { key: `path:${p.toLowerCase()}`, kind: 'path' as const, displayName: p, path: p },
      action: 'allow' as const,
      direction: 'out' as const,
      duration: { kind: 'forever' as const },
      created: 1,
      source: 'user' as const,
    })),
  };
}

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'portcullis-store-'));
}

function open(dir: string): JsonFile<RulesDocument> {
  return new JsonFile(join(dir, 'rules.json'), rulesDocumentSchema, emptyRulesDocument, clock);
}

describe('atomic JSON store', () => {
  it('saves and loads a document, keeping the previous one as the backup', () => {
    const dir = freshDir();
    const file = open(dir);
    expect(file.load().source).toBe('defaults');
    file.save(docWith('C:\\a.exe'));
    file.save(docWith('C:\\a.exe', 'C:\\b.exe'));
    const again = open(dir).load();
    expect(again.source).toBe('file');
    expect(again.value.rules).toHaveLength(2);
    const backup = JSON.parse(readFileSync(join(dir, 'rules.json.bak'), 'utf8')) as RulesDocument;
    expect(backup.rules).toHaveLength(1);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('a process killed between writing and renaming leaves the old document intact', () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    file.save(docWith('C:\\old.exe'));
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'support', 'crash-writer.ts'),
        dir,
        JSON.stringify(docWith('C:\\new1.exe', 'C:\\new2.exe')),
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.signal).toBe('SIGKILL');
    // The new document reached the disk as a temporary file only.
    expect(readdirSync(dir).some((n) => n.startsWith('rules.json.tmp-'))).toBe(true);
    const after = open(dir).load();
    expect(after.source).toBe('file');
    expect(after.problems).toEqual([]);
    expect(after.value.rules.map((r) => r.app.path)).toEqual(['C:\\old.exe']);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('sets a corrupt document aside, reports it and loads the backup', () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    file.save(docWith('C:\\first.exe'));
    file.save(docWith('C:\\first.exe', 'C:\\second.exe'));
    writeFileSync(join(dir, 'rules.json'), '{"schemaVersion":1,"rules":[{"id":');
    const loaded = open(dir).load();
    expect(loaded.source).toBe('backup');
    expect(loaded.value.rules.map((r) => r.app.path)).toEqual(['C:\\first.exe']);
    expect(loaded.problems.join(' ')).toMatch(
      /could not be read.*moved to rules\.json\.corrupt-2025-03-01T08-30-00-000Z/,
    );
    expect(loaded.problems.join(' ')).toMatch(/backup/);
    expect(existsSync(join(dir, 'rules.json.corrupt-2025-03-01T08-30-00-000Z'))).toBe(true);
    // The good document is back in place for the next start.
    expect(open(dir).load().source).toBe('file');
  });

  it('treats a document that parses but breaks the schema as corrupt', () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    file.save(docWith('C:\\x.exe'));
    writeFileSync(
      join(dir, 'rules.json'),
      JSON.stringify({ schemaVersion: 1, rules: [{ id: 'r', action: 'maybe' }], ignored: [] }),
    );
    const loaded = open(dir).load();
    expect(loaded.problems[0]).toMatch(/invalid at rules\.0/);
    expect(loaded.source).toBe('backup');
  });

  it('starts from defaults and says so when neither the document nor a backup can be used', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'rules.json'), 'not json');
    const loaded = open(dir).load();
    expect(loaded.source).toBe('defaults');
    expect(loaded.value.rules).toEqual([]);
    expect(loaded.problems.join(' ')).toMatch(/No backup exists/);
  });

  it('refuses to save a document that breaks the schema, leaving the file as it was', () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    file.save(docWith('C:\\keep.exe'));
    expect(() => file.save({ schemaVersion: 1, rules: [{}], ignored: [] } as unknown as RulesDocument)).toThrow();
    expect(open(dir).load().value.rules).toHaveLength(1);
  });

  it('PORTCULLIS_DATA_DIR overrides the data folder', () => {
    expect(defaultDataDir({ PORTCULLIS_DATA_DIR: '/srv/pc' }, 'linux')).toBe('/srv/pc');
    // Machine-wide on Windows, never in the per-user %APPDATA% that unelevated programs can write.
    expect(
      defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming', ProgramData: 'C:\\ProgramData' }, 'win32'),
    ).toMatch(/^C:.ProgramData.Portcullis$/);
    expect(defaultDataDir({ PORTCULLIS_DATA_DIR: 'C:\\Users\\u\\evil' }, 'win32', { allowOverride: false })).toMatch(
      /ProgramData.Portcullis$/,
    );
  });
});

describe('a document saved off the main thread', () => {
  const textOf = (doc: RulesDocument) => `${JSON.stringify(doc, null, 2)}\n`;

  it('writes the new document and the old one as its backup, holding the lock until both are on disk', async () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    file.save(docWith('C:\\old.exe'));
    const oldText = readFileSync(join(dir, 'rules.json'), 'utf8');
    const saving = file.saveTextAsync(textOf(docWith('C:\\new.exe')));
    // Nothing was written on the caller's turn, and another process reading or writing must wait meanwhile.
    expect(readFileSync(join(dir, 'rules.json'), 'utf8')).toBe(oldText);
    expect(existsSync(join(dir, 'rules.json.lock'))).toBe(true);
    await saving;
    expect(
      open(dir)
        .load()
        .value.rules.map((r) => r.app.path),
    ).toEqual(['C:\\new.exe']);
    expect(readFileSync(join(dir, 'rules.json.bak'), 'utf8')).toBe(oldText);
    expect(existsSync(join(dir, 'rules.json.lock'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    // What this process wrote is not taken for another process's change.
    expect(file.readChange().kind).toBe('none');
  });

  it('lets the event loop run while the bytes go to disk', async () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    const many = docWith(...Array.from({ length: 5_000 }, (_, i) => `C:\\Program Files\\Vendor\\app${i}.exe`));
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    await file.saveTextAsync(textOf(many));
    clearInterval(counting);
    expect(turns).toBeGreaterThan(0);
    expect(open(dir).load().value.rules).toHaveLength(5_000);
  });

  it('refuses a second write while one is in flight instead of interleaving the two', async () => {
    const dir = freshDir();
    const file = open(dir);
    file.load();
    const saving = file.saveTextAsync(textOf(docWith('C:\\first.exe')));
    expect(() => file.save(docWith('C:\\second.exe'))).toThrow('rules.json is being saved by this process');
    await saving;
    file.save(docWith('C:\\second.exe'));
    expect(
      open(dir)
        .load()
        .value.rules.map((r) => r.app.path),
    ).toEqual(['C:\\second.exe']);
  });
});
