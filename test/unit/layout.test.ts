import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { compareLayout, type Golden } from '../../native/wfp/layout-check.js';
import { WFP_STRUCTS } from '../../native/wfp/types.js';
import { WINTRUST_STRUCTS } from '../../native/wintrust/types.js';
import { ETW_STRUCTS } from '../../native/etw/types.js';
import { FILES_STRUCTS } from '../../native/files/real-case.js';
import { SERVICES_STRUCTS } from '../../native/services/types.js';

// Every Windows struct native/ declares, one table per SDK header.
const ALL_STRUCTS = { ...WFP_STRUCTS, ...WINTRUST_STRUCTS, ...ETW_STRUCTS, ...FILES_STRUCTS, ...SERVICES_STRUCTS };

const root = join(import.meta.dirname, '..', '..');
const goldenPath = join(root, 'native', 'layout', 'golden.json');
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Golden;

function mingwAvailable(): boolean {
  const cc = process.env['MINGW_CC'] ?? 'x86_64-w64-mingw32-gcc';
  return spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
}

describe('struct layouts against the Windows SDK', () => {
  it.runIf(mingwAvailable())('the committed golden file is what the mingw-w64 headers compile to today', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-layout-'));
    try {
      const fresh = join(dir, 'golden.json');
      execFileSync(process.execPath, [join(root, 'scripts', 'gen-layout-golden.mjs'), '--out', fresh], {
        stdio: 'pipe',
      });
      expect(JSON.parse(readFileSync(fresh, 'utf8'))).toEqual(golden);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('declares every struct of the golden file, and nothing the golden file lacks', () => {
    expect(Object.keys(ALL_STRUCTS).sort()).toEqual(Object.keys(golden.structs).sort());
  });

  for (const [name, type] of Object.entries(ALL_STRUCTS)) {
    it(`${name}: size, alignment and every field offset match`, () => {
      expect(compareLayout(name, type, golden.structs[name])).toEqual([]);
    });
  }

  it('detects a field moved out of place', () => {
    // FWPM_NET_EVENT_SUBSCRIPTION0 with sessionKey and flags swapped: same size, different offsets.
    const moved = koffi.struct({
      enumTemplate: 'void *',
      sessionKey: WFP_STRUCTS.GUID,
      flags: 'uint32_t',
    });
    const problems = compareLayout(
      'FWPM_NET_EVENT_SUBSCRIPTION0',
      moved,
      golden.structs['FWPM_NET_EVENT_SUBSCRIPTION0'],
    );
    expect(problems).toContain('FWPM_NET_EVENT_SUBSCRIPTION0.flags: offset 24, golden 8');
    expect(problems).toContain('FWPM_NET_EVENT_SUBSCRIPTION0.sessionKey: offset 8, golden 12');
  });

  it('detects a field whose type is too narrow (the enum-as-uint16 mistake)', () => {
    const narrow = koffi.struct({
      filterId: 'uint64_t',
      layerId: 'uint16_t',
      reauthReason: 'uint16_t',
      originalProfile: 'uint32_t',
      currentProfile: 'uint32_t',
      msFwpDirection: 'uint32_t',
      isLoopback: 'int32_t',
    });
    const problems = compareLayout(
      'FWPM_NET_EVENT_CLASSIFY_DROP1',
      narrow,
      golden.structs['FWPM_NET_EVENT_CLASSIFY_DROP1'],
    );
    expect(problems.some((p) => p.startsWith('FWPM_NET_EVENT_CLASSIFY_DROP1.reauthReason: offset 10'))).toBe(true);
  });
});
