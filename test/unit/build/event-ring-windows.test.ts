// The event ring built as a Windows DLL for each architecture the installer ships (scripts/build-events.mjs). Nothing
// here can run the arm64 one, so this checks what Windows checks before it runs a DLL in the elevated main process:
// an image of the right machine that the loader may place anywhere (ASLR) with its data not executable (DEP); every
// import resolved from a DLL that is part of Windows on both architectures, with no C runtime of ours and no stack
// probe to find; and every function the binding (native/batch/event-ring.ts) binds exported. The x64 DLL, which
// the Windows ABI lane also runs under Wine, is held to the same.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventRingPath } from '../../../native/batch/load.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dllOf = (arch: string) => join(root, 'native', 'batch', 'build', `win32-${arch}`, 'portcullis_events.dll');

/** Every DLL the event ring may import from: both ship with Windows on x64 and arm64 alike. */
const SYSTEM_DLLS = ['kernel32.dll', 'msvcrt.dll'];

/** The functions the binding looks up by name. */
const bound = [...readFileSync(join(root, 'native', 'batch', 'event-ring.ts'), 'utf8').matchAll(/\.func\('(\w+)'/g)]
  .map((m) => m[1]!)
  .sort();

const TOOLS: Record<string, string[]> = {
  x64: [process.env['MINGW_CC'] ?? 'x86_64-w64-mingw32-gcc'],
  arm64: [
    process.env['CLANG'] ?? 'clang',
    process.env['LLD_LINK'] ?? 'lld-link',
    process.env['LLVM_DLLTOOL'] ?? 'llvm-dlltool',
  ],
};
const readobj = process.env['LLVM_READOBJ'] ?? 'llvm-readobj';
// llvm-dlltool answers --version with its usage and status 1: what counts is that it is there.
const present = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;
// CI installs every tool (.ci/run): there a missing one fails the test rather than skipping it.
const runs = (arch: string) => process.env['CI'] === 'true' || [...TOOLS[arch]!, readobj].every(present);

interface PeFacts {
  machine: string;
  characteristics: string[];
  dllCharacteristics: string[];
  exports: string[];
  imports: Map<string, string[]>;
}

/** The facts of a PE image as llvm-readobj prints them. */
function readPe(path: string): PeFacts {
  const r = spawnSync(readobj, ['--file-headers', '--coff-exports', '--coff-imports', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${readobj} ${path} failed: ${r.stderr || r.error?.message}`);
  const text = r.stdout;
  const flagsIn = (block: string) =>
    [
      ...(text.match(new RegExp(`${block} \\{[\\s\\S]*?Characteristics \\[[^\\]]*\\]`))?.[0] ?? '').matchAll(
        /(IMAGE_[A-Z_0-9]+) \(0x/g,
      ),
    ].map((m) => m[1]!);
  const imports = new Map<string, string[]>();
  for (const block of text.matchAll(/Import \{\s*Name: (\S+)[\s\S]*?\n\}/g))
    imports.set(
      block[1]!.toLowerCase(),
      [...block[0].matchAll(/Symbol: (\S+)/g)].map((m) => m[1]!),
    );
  return {
    machine: text.match(/Machine: (IMAGE_FILE_MACHINE_\w+)/)?.[1] ?? '',
    characteristics: flagsIn('ImageFileHeader'),
    dllCharacteristics: flagsIn('ImageOptionalHeader'),
    exports: [...text.matchAll(/Export \{[^}]*Name: (\S+)/g)].map((m) => m[1]!),
    imports,
  };
}

describe('the event ring as a Windows DLL', () => {
  it('Windows x64 and arm64 load the ring of their own architecture; any other takes the per-event callback', () => {
    expect(eventRingPath('win32', 'arm64')).toEqual({ path: dllOf('arm64') });
    expect(eventRingPath('win32', 'x64')).toEqual({ path: dllOf('x64') });
    expect(eventRingPath('win32', 'ia32')).toEqual({
      reason: 'no event ring is built for Windows ia32: events take the per-event callback',
    });
  });

  it('the binding binds the ring functions it needs (the list the DLLs are checked against)', () => {
    expect(bound).toEqual(expect.arrayContaining(['pc_ring_callback', 'pc_ring_copy', 'pc_ring_create']));
  });

  for (const [arch, machine] of [
    ['x64', 'IMAGE_FILE_MACHINE_AMD64'],
    ['arm64', 'IMAGE_FILE_MACHINE_ARM64'],
  ] as const) {
    it.runIf(runs(arch))(
      `${arch}: built, loadable anywhere with DEP, imports only Windows' own DLLs, exports the binding`,
      () => {
        const build = spawnSync(
          process.execPath,
          [join(root, 'scripts', 'build-events.mjs'), arch === 'x64' ? '--windows' : '--windows-arm64'],
          { encoding: 'utf8' },
        );
        expect(build.status, build.stderr).toBe(0);
        const pe = readPe(dllOf(arch));
        expect(pe.machine).toBe(machine);
        expect(pe.characteristics).toContain('IMAGE_FILE_DLL');
        // Microsoft's PE format documentation: with IMAGE_FILE_RELOCS_STRIPPED the image "must therefore be loaded
        // at its preferred base address"; without it, an image with no base relocations at all (the arm64 DLL has
        // none: its code reaches data and imports PC-relatively) is placed anywhere, ntdll's relocation having
        // nothing to fix.
        expect(pe.characteristics).not.toContain('IMAGE_FILE_RELOCS_STRIPPED');
        expect(pe.dllCharacteristics).toEqual(
          expect.arrayContaining(['IMAGE_DLL_CHARACTERISTICS_DYNAMIC_BASE', 'IMAGE_DLL_CHARACTERISTICS_NX_COMPAT']),
        );
        expect([...pe.imports.keys()].filter((dll) => !SYSTEM_DLLS.includes(dll))).toEqual([]);
        expect([...pe.imports.values()].flat()).not.toContain('__chkstk');
        expect(pe.exports).toEqual(expect.arrayContaining(bound));
      },
    );
  }
});
