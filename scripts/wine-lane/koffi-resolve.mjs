// Resolve hook registered by koffi-hook.mjs (runs in Node's loader thread).
const root = new URL('../../', import.meta.url);
const repositoryCopy = new URL('node_modules/koffi/', root).href.toLowerCase();
// node_modules may be a link to another checkout's (a git worktree); vitest then resolves koffi to the link's target,
// a path Wine cannot map back through the link. Any node_modules' koffi is the Linux build: never the one wanted here.
const anyRepositoryCopy = /\/node_modules\/koffi\//;
const laneCopy = new URL('.cache/wine-lane/runtime/node_modules/koffi/index.js', root).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'koffi') return { url: laneCopy, format: 'module', shortCircuit: true };
  const resolved = await next(specifier, context);
  // vitest resolves koffi to the repository's file itself before importing it.
  const url = resolved.url.toLowerCase();
  if ((url.startsWith(repositoryCopy) || anyRepositoryCopy.test(url)) && !url.includes('/.cache/wine-lane/'))
    return { url: laneCopy, format: 'module', shortCircuit: true };
  return resolved;
}
