// What the release build guarantees by itself: an exe that asks for administrator rights or no build, an installer
// that says "unsigned" in its name when no certificate was given, and a koffi package unpacked without any `tar`
// from PATH (the arm64 build from Git Bash).
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NtExecutable, NtExecutableResource } from 'resedit';
import { c as createTar } from 'tar';
import { describe, expect, it, vi } from 'vitest';
import config, { installerName, isSigned } from '../../../build/electron-builder.config';
import { extractPackage } from '../../../build/hooks/ensure-koffi-targets.mjs';
import { checkManifest, embeddedManifest, executionLevel } from '../../../build/hooks/verify-manifest.mjs';

const manifest = (trustInfo: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">${trustInfo}</assembly>`;
const ADMIN = manifest(
  '<trustInfo xmlns="urn:schemas-microsoft-com:asm.v3"><security><requestedPrivileges><requestedExecutionLevel level="requireAdministrator" uiAccess="false"/></requestedPrivileges></security></trustInfo>',
);

function exeWith(manifestXml: string | undefined): Buffer {
  const exe = NtExecutable.createEmpty(false, false);
  const res = NtExecutableResource.from(exe);
  if (manifestXml !== undefined) {
    const bin = Buffer.from(manifestXml, 'utf8');
    res.entries.push({
      type: 24,
      id: 1,
      lang: 1033,
      codepage: 0,
      bin: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
    });
  }
  res.outputResource(exe);
  return Buffer.from(exe.generate());
}

describe('manifest check (afterSign)', () => {
  it('passes an exe whose embedded manifest asks for requireAdministrator', () => {
    expect(embeddedManifest(exeWith(ADMIN))).toBe(ADMIN);
    expect(() => checkManifest(embeddedManifest(exeWith(ADMIN)), 'Portcullis.exe')).not.toThrow();
  });

  it('fails the build when the node is missing, says asInvoker, or there is no manifest', () => {
    expect(() => checkManifest(embeddedManifest(exeWith(manifest(''))), 'Portcullis.exe')).toThrow(
      /requestedExecutionLevel \(none: the node is missing\)/,
    );
    expect(() => checkManifest(ADMIN.replace('requireAdministrator', 'asInvoker'), 'P.exe')).toThrow(/asInvoker/);
    expect(() => checkManifest(embeddedManifest(exeWith(undefined)), 'P.exe')).toThrow(/no application manifest/);
    expect(executionLevel("<requestedExecutionLevel uiAccess='false' level='highestAvailable'/>")).toBe(
      'highestAvailable',
    );
  });

  it('runs after signing, which is after electron-builder patched the manifest', () => {
    expect(config.afterSign).toBe('./build/hooks/verify-manifest.mjs');
  });
});

describe('signing', () => {
  it('signs when the environment names a certificate, and names unsigned installers so', () => {
    expect(isSigned({})).toBe(false);
    expect(isSigned({ WIN_CSC_LINK: 'C:\\certs\\portcullis.pfx' })).toBe(true);
    expect(isSigned({ CSC_LINK: 'base64...' })).toBe(true);
    expect(installerName(false)).toBe('${productName}-Setup-${version}-${arch}-unsigned.${ext}');
    expect(installerName(true)).toBe('${productName}-Setup-${version}-${arch}.${ext}');
    // No certificate in this test environment: the configured name says so.
    vi.stubEnv('CSC_LINK', '');
    expect(config.nsis?.artifactName).toBe(installerName(isSigned()));
  });

  it('starts the app from the elevated installer, not through the finish page (no second UAC prompt)', () => {
    expect(config.nsis?.runAfterFinish).toBe(false);
    const script = readFileSync(join(import.meta.dirname, '..', '..', '..', 'build', 'installer.nsh'), 'utf8');
    expect(/!macro customInstall\b([\s\S]*?)!macroend/.exec(script)?.[1]).toMatch(
      /\$\{ifNot\} \$\{Silent\}\s+Exec '"\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}"'/,
    );
  });

  it('installs into Program Files only', () => {
    expect(config.nsis?.allowToChangeInstallationDirectory).toBe(false);
    expect(config.nsis?.perMachine).toBe(true);
  });
});

describe('koffi package for another architecture', () => {
  it('is unpacked with no tar on PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-pack-'));
    mkdirSync(join(dir, 'package'));
    writeFileSync(join(dir, 'package', 'package.json'), '{"name":"@koromix/koffi-win32-arm64","version":"3.3.4"}');
    writeFileSync(join(dir, 'package', 'win32_arm64.node'), 'binary');
    const tarball = join(dir, 'pkg.tgz');
    await createTar({ gzip: true, file: tarball, cwd: dir }, ['package']);
    vi.stubEnv('PATH', '');
    try {
      extractPackage(tarball, join(dir, 'out'));
    } finally {
      vi.unstubAllEnvs();
    }
    expect(readFileSync(join(dir, 'out', 'win32_arm64.node'), 'utf8')).toBe('binary');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'package.json'), 'utf8')).version).toBe('3.3.4');
  });
});
