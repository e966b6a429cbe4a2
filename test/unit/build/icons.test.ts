import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const icons = join(root, 'build', 'icons');
const scratch = mkdtempSync(join(tmpdir(), 'portcullis-icons-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('application icons', () => {
  it('are the current rendering of build/icons/portcullis.svg (run `npm run icons` after editing it)', () => {
    execFileSync(process.execPath, [join(icons, 'generate.mjs'), '--out', scratch], { cwd: root });
    for (const name of ['icon.png', 'icon.ico']) {
      expect(readFileSync(join(scratch, name)).equals(readFileSync(join(icons, name))), name).toBe(true);
    }
  });

  it('give Windows every size it asks for, each drawn at that size', () => {
    const ico = readFileSync(join(icons, 'icon.ico'));
    const count = ico.readUInt16LE(4);
    const entries = Array.from({ length: count }, (_, i) => {
      const at = 6 + i * 16;
      return { size: ico.readUInt8(at) || 256, bytes: ico.readUInt32LE(at + 8), offset: ico.readUInt32LE(at + 12) };
    });
    expect(entries.map((e) => e.size)).toEqual([16, 20, 24, 32, 40, 48, 64, 128, 256]);
    for (const entry of entries) expect(entry.offset + entry.bytes).toBeLessThanOrEqual(ico.length);

    const png = readFileSync(join(icons, 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
