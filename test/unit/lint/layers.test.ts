// The layer rule must catch real crossings, and only those: each fixture is linted as if it lived in a layer.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(fixture: string, placedAt: string): Promise<string[]> {
  const code = readFileSync(resolve(root, 'test/lint-fixtures', fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: resolve(root, placedAt) });
  expect(result).toBeDefined();
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('layer boundaries', () => {
  it('reports an import of electron from electron/core', async () => {
    const errors = await layerErrors('core-imports-electron.ts', 'electron/core/fixture.ts');
    expect(errors).toEqual([expect.stringMatching(/^electron\/core must not import the `electron` module/)]);
  });

  it('reports the renderer importing native, core and main', async () => {
    const errors = await layerErrors('renderer-imports-native.ts', 'renderer/src/fixture.ts');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^renderer\/ must not import native\/ \("\.\.\/\.\.\/native\/api"\)/);
    expect(errors[1]).toMatch(/^renderer\/ must not import electron\/core /);
    expect(errors[2]).toMatch(/^renderer\/ must not import electron\/main /);
  });

  it('reports native importing the app and electron', async () => {
    const errors = await layerErrors('native-imports-app.ts', 'native/wfp/fixture.ts');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^native\/ must not import electron\/core\/model/);
    expect(errors[1]).toMatch(/^native\/ must not import the `electron` module/);
  });

  it('lets the renderer use the IPC contract and core model types', async () => {
    expect(await layerErrors('allowed-imports.ts', 'renderer/src/fixture.ts')).toEqual([]);
  });

  it('lets main import electron', async () => {
    expect(await layerErrors('core-imports-electron.ts', 'electron/main/fixture.ts')).toEqual([]);
  });
});
