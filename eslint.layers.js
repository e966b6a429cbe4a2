// The layer rule: imports point down (native <- core <- main; the renderer sees only the IPC contract and core's
// model types). It resolves relative specifiers against the importing file, so "../../electron/core/x" and
// "../core/x" are judged by where they land, not by how they are spelled.
import { dirname, relative, resolve, sep } from 'node:path';

const root = import.meta.dirname;

/** @param {string} file absolute path */
export function layerOf(file) {
  const rel = relative(root, file).split(sep).join('/');
  if (rel.startsWith('..')) return 'outside';
  if (/^electron\/core\/model(\.ts)?$/.test(rel)) return 'core-model';
  for (const [prefix, layer] of [
    ['electron/core/', 'core'],
    ['electron/main/', 'main'],
    ['electron/preload/', 'preload'],
    ['electron/ipc/', 'ipc'],
    ['renderer/', 'renderer'],
    ['native/', 'native'],
  ]) {
    if (rel.startsWith(prefix) || rel === prefix.slice(0, -1)) return layer;
  }
  return 'other';
}

const electronModule = 'the `electron` module';
const names = {
  core: 'electron/core',
  'core-model': 'electron/core/model',
  main: 'electron/main',
  preload: 'electron/preload',
  ipc: 'electron/ipc',
  renderer: 'renderer/',
  native: 'native/',
  other: 'files outside the app layers',
  outside: 'files outside the repository',
};

/** For each layer: the targets it must not import, and why (shown in the lint message). */
const forbidden = {
  core: { targets: ['electron', 'main', 'preload', 'renderer'], why: 'core runs without Electron and below main' },
  native: {
    targets: ['electron', 'core', 'core-model', 'main', 'preload', 'ipc', 'renderer', 'other', 'outside'],
    why: 'native knows nothing of the app',
  },
  renderer: {
    targets: ['electron', 'core', 'main', 'preload', 'native', 'other', 'outside'],
    why: 'the renderer sees only the IPC contract (electron/ipc) and core model types',
  },
  ipc: {
    targets: ['electron', 'core', 'main', 'preload', 'native', 'renderer'],
    why: 'the contract is shared by every process and stays pure',
  },
  preload: { targets: ['core', 'main', 'native', 'renderer'], why: 'preload exposes the contract and nothing else' },
  main: { targets: ['renderer', 'preload'], why: 'main talks to the renderer only over IPC' },
};

function targetOf(specifier, file) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) return 'electron';
  if (specifier.startsWith('.') || specifier.startsWith('/')) return layerOf(resolve(dirname(file), specifier));
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep imports pointing down the layers of Portcullis.' },
    messages: { crossing: '{{from}} must not import {{to}} ("{{specifier}}"): {{why}}.' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    const policy = forbidden[from];
    if (!policy) return {};
    function check(node, source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const to = targetOf(source.value, file);
      if (!to || !policy.targets.includes(to)) return;
      context.report({
        node: source,
        messageId: 'crossing',
        data: {
          from: names[from],
          to: to === 'electron' ? electronModule : names[to],
          specifier: source.value,
          why: policy.why,
        },
      });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' && check(node, node.moduleReference.expression),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
      },
    };
  },
};

export default { meta: { name: 'portcullis-layers' }, rules: { imports: rule } };
