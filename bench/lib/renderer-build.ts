// The renderer the benchmark loads is the production build in out/renderer; rebuilt when a source is newer.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './report';

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureRendererBuilt(): string {
  const out = join(repoRoot, 'out/renderer');
  const built = join(out, 'index.html');
  const sources = Math.max(
    newest(join(repoRoot, 'renderer')),
    statSync(join(repoRoot, 'electron/core/model.ts')).mtimeMs,
    newest(join(repoRoot, 'electron/core/model')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return out;
  console.log('  building the renderer (electron-vite build) ...');
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('electron-vite build failed: the renderer benchmark needs out/renderer');
  return out;
}
