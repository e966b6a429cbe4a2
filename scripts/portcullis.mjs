#!/usr/bin/env node
// The `portcullis` command. Runs the built CLI (out/main/cli.js, bundled by `npm run build`) when it exists,
// otherwise the TypeScript source through tsx, so it works in a fresh clone too.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');

let cli;
if (existsSync(built)) {
  cli = await import(pathToFileURL(built).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport(pathToFileURL(join(root, 'electron', 'core', 'cli', 'index.ts')).href, import.meta.url);
}

const code = await cli.main(process.argv.slice(2));
// Let stdout drain before exiting (a pipe may still hold output).
process.stdout.write('', () => process.exit(code));
