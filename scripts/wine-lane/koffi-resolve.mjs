// Resolve hook registered by koffi-hook.mjs (runs in Node's loader thread).
const root = new URL('../../', import.meta.url);
const repositoryCopy = new URL('node_modules/koffi/', root).href.toLowerCase();
const laneCopy = new URL('.cache/wine-lane/runtime/node_modules/koffi/index.js', root).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'koffi') return { url: laneCopy, format: 'module', shortCircuit: true };
  const resolved = await next(specifier, context);
  // vitest resolves koffi to the repository's file itself before importing it.
  if (resolved.url.toLowerCase().startsWith(repositoryCopy))
    return { url: laneCopy, format: 'module', shortCircuit: true };
  return resolved;
}
