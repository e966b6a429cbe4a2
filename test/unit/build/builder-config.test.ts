// The installer configuration, checked the way electron-builder itself will read it at `npm run dist`.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../build/electron-builder.config';
import { APP_ID, PRODUCT_NAME } from '../../../electron/core/app-identity';

const root = join(import.meta.dirname, '..', '..', '..');
// Resolve from app-builder-lib so the validator is the ajv electron-builder itself uses.
const builderRequire = createRequire(join(root, 'node_modules', 'app-builder-lib', 'package.json'));
const schema = builderRequire('./scheme.json') as object;

interface AjvError {
  instancePath: string;
  message?: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const { default: Ajv } = builderRequire('ajv') as {
  default: new (options: object) => { compile(schema: object): Validate };
};
// electron-builder's own options (app-builder-lib/out/util/config/schemaValidator.js).
const validate = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(schema);

function errorsOf(candidate: unknown): string[] {
  // coerceTypes rewrites values in place; validate a copy so the real configuration stays as written.
  const copy: unknown = structuredClone(candidate);
  return validate(copy) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('electron-builder configuration', () => {
  it("validates against electron-builder's JSON schema", () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('is rejected by the same schema when a setting is misspelt or out of range', () => {
    expect(errorsOf({ ...config, nsis: { ...config.nsis, perMachin: true } }).length).toBeGreaterThan(0);
    expect(
      errorsOf({ ...config, win: { ...config.win, requestedExecutionLevel: 'administrator' } }).length,
    ).toBeGreaterThan(0);
  });

  it('is loaded and accepted by electron-builder from its file, as `npm run dist` does', async () => {
    const { getConfig, validateConfiguration } = builderRequire('./out/util/config/config') as {
      getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<typeof config>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(root, join(root, 'build', 'electron-builder.config.ts'), null);
    await validateConfiguration(loaded, new DebugLogger(false));
    expect(loaded.appId).toBe(APP_ID);
    expect(loaded.nsis?.include).toBe('build/installer.nsh');
  });

  it('builds elevated per-machine NSIS installers for x64 and arm64 under the app id notifications use', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.win?.requestedExecutionLevel).toBe('requireAdministrator');
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config.nsis?.perMachine).toBe(true);
    expect(config.nsis?.oneClick).toBe(false);
    // Data is deleted only when the user says so, by installer.nsh.
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
    expect(config.nsis?.buildUniversalInstaller).toBe(false);
  });

  it('locks the elevated runtime against NODE_OPTIONS, --inspect and ELECTRON_RUN_AS_NODE', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the x64 and arm64 event rings where the installed app loads them, built by `npm run dist` first', () => {
    const entries = (config.extraResources ?? []) as { from: string; to: string }[];
    const ring = entries.find((e) => e.to === 'native/portcullis_events.dll');
    // native/batch/load.ts: <resources>/native/portcullis_events.dll; scripts/build-events.mjs writes these.
    expect(ring?.from.replace('${arch}', 'x64')).toBe('native/batch/build/win32-x64/portcullis_events.dll');
    expect(ring?.from.replace('${arch}', 'arm64')).toBe('native/batch/build/win32-arm64/portcullis_events.dll');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const dist = pkg.scripts.dist!;
    for (const build of ['build-events.mjs --windows ', 'build-events.mjs --windows-arm64']) {
      expect(dist.indexOf(build)).toBeGreaterThanOrEqual(0);
      expect(dist.indexOf(build)).toBeLessThan(dist.indexOf('electron-builder'));
    }
  });

  it('points at icons that exist and are what Windows expects', () => {
    const ico = readFileSync(join(root, config.win?.icon ?? 'missing'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1); // type 1: icon
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + i * 16) || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    for (const key of ['installerIcon', 'uninstallerIcon', 'installerHeaderIcon'] as const) {
      expect(readFileSync(join(root, config.nsis?.[key] ?? 'missing')).equals(ico)).toBe(true);
    }
  });
});
