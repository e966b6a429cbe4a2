#!/usr/bin/env node
// The `portcullis` command. Runs the built CLI (out/main/cli.js, bundled by `npm run build`) when it is newer than
// every source file it is built from, otherwise the TypeScript source through tsx: it works in a fresh clone too, and a
// stale build never answers for code that has changed since.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');

/** The newest modification time of the TypeScript below `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const fresh = () =>
  statSync(built).mtimeMs >= Math.max(newestSource(join(root, 'electron')), newestSource(join(root, 'native')));

let cli;
if (existsSync(built) && fresh()) {
  cli = await import(pathToFileURL(built).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport(pathToFileURL(join(root, 'electron', 'core', 'cli', 'index.ts')).href, import.meta.url);
}

const code = await cli.main(process.argv.slice(2));
// Let stdout drain before exiting (a pipe may still hold output).
process.stdout.write('', () => process.exit(code));
