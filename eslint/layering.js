// @ts-check
/**
 * The layering rule of docs/architecture.md §2, after vscode's code-layering: a file's folder says
 * which runtime it runs in, and an import that crosses into a folder (or package) that runtime
 * may not use is an error. It resolves relative imports against the importing file, so
 * `../../main/core/x.js` is caught the same as a package name.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** @typedef {{ layers: string[], packages: 'any' | string[], node: boolean, electron: boolean }} Policy */

/** Layers in the order they are matched: most specific first. */
const LAYERS = [
  'main/core', 'main/electron', 'main/browser-host', 'common/browser', 'common/node', 'portal/web',
  'common', 'devices', 'offline-queue', 'renderer', 'portal', 'test', 'bench', 'scripts', 'eslint',
];

/** @type {Record<string, Policy>} */
const POLICIES = {
  common: { layers: ['common'], packages: ['zod'], node: false, electron: false },
  // Browser code shared by the kiosk screen and the portal's pages (voice, event stream): DOM, no Node.
  'common/browser': { layers: ['common', 'common/browser'], packages: ['zod'], node: false, electron: false },
  // Node code shared by the kiosk (core, store, devices) and the portal (e.g. Ed25519 certificate
  // verification): Node built-ins allowed, imports common/ only, never a browser runtime's import.
  'common/node': { layers: ['common', 'common/node'], packages: ['zod'], node: true, electron: false },
  devices: { layers: ['common', 'common/node', 'devices'], packages: 'any', node: true, electron: false },
  'offline-queue': { layers: ['common', 'common/node', 'offline-queue'], packages: 'any', node: true, electron: false },
  portal: { layers: ['common', 'common/node', 'portal'], packages: 'any', node: true, electron: false },
  renderer: { layers: ['common', 'common/browser', 'renderer'], packages: ['react', 'react-dom', 'zustand', 'zod', 'qrcode', 'vite', '@vitejs/plugin-react', 'vitest'], node: false, electron: false },
  // The portal's web pages (counter console, hall display): a browser runtime, not the portal server.
  'portal/web': {
    layers: ['common', 'common/browser', 'portal/web'],
    packages: ['react', 'react-dom', 'zustand', 'zod', 'qrcode', 'echarts', 'vite', '@vitejs/plugin-react', 'vitest'],
    node: false,
    electron: false,
  },
  'main/core': { layers: ['common', 'common/node', 'devices', 'offline-queue', 'main/core'], packages: 'any', node: true, electron: false },
  'main/browser-host': { layers: ['common', 'common/node', 'devices', 'offline-queue', 'main/core', 'main/browser-host'], packages: 'any', node: true, electron: false },
  'main/electron': { layers: ['common', 'common/node', 'main/core', 'main/electron'], packages: 'any', node: true, electron: true },
  test: { layers: LAYERS.filter((l) => l !== 'main/electron'), packages: 'any', node: true, electron: false },
  bench: { layers: LAYERS.filter((l) => l !== 'main/electron'), packages: 'any', node: true, electron: false },
  scripts: { layers: LAYERS.filter((l) => l !== 'main/electron'), packages: 'any', node: true, electron: false },
  eslint: { layers: ['eslint'], packages: 'any', node: true, electron: false },
};

/** @param {string} rel posix path relative to the repository root */
function layerOf(rel) {
  return LAYERS.find((l) => rel === l || rel.startsWith(`${l}/`));
}

/** @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the runtime layering of docs/architecture.md §2' },
    schema: [],
    messages: {
      layer: "'{{from}}' may not import from '{{to}}' ({{spec}}). Allowed layers: {{allowed}}.",
      node: "'{{from}}' runs without Node: '{{spec}}' is not available there.",
      electron: "Only main/electron may import electron ('{{spec}}' in '{{from}}').",
      pkg: "'{{from}}' may not use the package '{{spec}}'.",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = layerOf(file);
    if (!from) return {};
    const base = POLICIES[from];
    if (!base) return {};
    // Tests beside pure code still run under vitest: let them import the test tools.
    const isTest = /\.test\.tsx?$/.test(file);
    const policy = isTest && base.packages !== 'any'
      ? { ...base, packages: [...base.packages, 'vitest', 'fast-check'] }
      : base;

    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string') return;
      const spec = value;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
        const to = layerOf(target);
        if (to && policy && !policy.layers.includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, spec, allowed: policy.layers.join(', ') } });
        }
        return;
      }
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!policy?.electron) context.report({ node, messageId: 'electron', data: { from, spec } });
        return;
      }
      if (builtins.has(spec) || builtins.has(spec.split('/')[0] ?? '') || spec.startsWith('node:')) {
        if (!policy?.node) context.report({ node, messageId: 'node', data: { from, spec } });
        return;
      }
      if (policy && policy.packages !== 'any' && !policy.packages.includes(packageName(spec))) {
        context.report({ node, messageId: 'pkg', data: { from, spec } });
      }
    }

    return {
      ImportDeclaration(node) { check(node, node.source.value); },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value); },
      ExportAllDeclaration(node) { check(node, node.source.value); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value); },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const arg = node.arguments[0];
          if (arg && arg.type === 'Literal') check(node, arg.value);
        }
      },
    };
  },
};

export default { rules: { layering: layeringRule } };
