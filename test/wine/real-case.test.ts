// Paths in their real case from Wine's kernel32 FindFirstFileW: the binding native/ uses on Windows, on real files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles, realCasePath } from '../../native/files/real-case.js';
import { callHere } from '../../native/native-call.js';

const files = loadFiles();
const dir = mkdtempSync(join(tmpdir(), 'portcullis-case-'));

describe("paths in their real case from Wine's kernel32", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the case each component is stored in', async () => {
    const folder = join(dir, 'Mixed Case Folder');
    mkdirSync(folder);
    const file = join(folder, 'Tool.EXE');
    writeFileSync(file, 'x');
    expect(file).toMatch(/^[A-Z]:\\/);
    expect(await realCasePath(file.toLowerCase(), files)).toBe(`${file[0]!.toUpperCase()}${file.slice(1)}`);
  });

  it('gives nothing for a file that is not there', async () => {
    expect(await realCasePath(join(dir, 'missing.exe').toLowerCase(), files)).toBeUndefined();
  });

  // Direct calls, as the file-lookup thread makes them (test/wine/wintrust.test.ts says why the thread itself does not
  // run in this lane).
  it('with direct calls, as the file-lookup thread makes them: the same case, and nothing for a missing file', async () => {
    const folder = join(dir, 'Direct Folder');
    mkdirSync(folder);
    const file = join(folder, 'Other.Exe');
    writeFileSync(file, 'x');
    const fresh = loadFiles({ libraryPath: 'kernel32.dll' });
    expect(await realCasePath(file.toLowerCase(), fresh, Date.now(), callHere)).toBe(
      `${file[0]!.toUpperCase()}${file.slice(1)}`,
    );
    expect(await realCasePath(join(folder, 'missing.exe').toLowerCase(), fresh, Date.now(), callHere)).toBeUndefined();
  });
});
