// Lint, and the layering rules of ../shared/design/architecture.md as errors that fail the build.
// Each layer names what it MAY import (an allowlist): its own folders and a list of packages. Anything else,
// a static import, an export-from or an import('…'), is an error.
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));
const NODE = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The layers, most specific first. `folders`: the project folders a file of the layer may import from;
 * `packages`: the npm packages (and Node's built-ins where listed).
 */
const LAYERS = [
  {
    name: 'shared',
    files: 'shared/',
    folders: ['shared/'],
    packages: ['zod'],
    why: 'shared/ is pure TypeScript run by the workstation, the renderer and the server: it imports shared/ and zod only',
  },
  {
    name: 'db',
    files: 'db/',
    folders: ['shared/', 'db/'],
    packages: ['better-sqlite3'],
    why: 'db/ holds the SQL: it imports shared/, db/ and better-sqlite3 only',
  },
  {
    name: 'node',
    files: 'node/',
    folders: ['shared/', 'node/'],
    packages: [...NODE, 'node-forge', 'ws', 'piscina'],
    why: 'node/ is the Node code shared by the workstation services and the central server (simulated PKI, CMS, event hashes, the verification threads): it imports shared/, node/, Node, node-forge, ws and piscina only',
  },
  {
    name: 'services',
    files: 'electron/services/',
    folders: ['shared/', 'db/', 'node/', 'electron/services/'],
    packages: [...NODE, 'better-sqlite3', 'pdf-lib', 'pdfmake', 'sharp', 'uuid', 'zod', '@signpdf/', 'exceljs', 'zxing-wasm', 'ws', 'ncalayer-js-client'],
    why: 'the services never import a host (browser host, CLI, Electron), the renderer, the server or electron',
  },
  {
    name: 'hosts',
    files: ['electron/browser-host/', 'electron/cli/'],
    folders: ['shared/', 'db/', 'node/', 'electron/services/', 'electron/browser-host/', 'electron/cli/'],
    packages: [...NODE, 'better-sqlite3'],
    why: 'the browser host and the CLI host the services; they never import electron or the renderer',
  },
  {
    name: 'shell',
    files: ['electron/main/', 'electron/preload/'],
    folders: ['shared/', 'electron/services/', 'electron/main/', 'electron/preload/'],
    packages: [...NODE, 'electron'],
    why: 'the Electron shell is thin: shared/, the services host and electron',
  },
  {
    name: 'renderer',
    files: 'renderer/',
    folders: ['shared/', 'renderer/'],
    packages: ['react', 'react-dom', 'antd', '@ant-design/', 'dayjs', 'i18next', 'react-i18next', 'zustand', '@fontsource/', 'echarts', 'echarts-for-react', 'zxing-wasm'],
    why: 'the renderer never touches Node, the database, keys or files: it calls the typed client',
  },
  {
    name: 'server',
    files: 'server/',
    folders: ['shared/', 'node/', 'server/'],
    packages: [...NODE, 'fastify', '@fastify/', 'pg', '@electric-sql/pglite', 'zod', 'uuid', 'prom-client', 'piscina'],
    why: 'the central server uses shared/, node/ (the simulated PKI) and its own code, never the workstation code',
  },
];

const layerOf = (file) => {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return LAYERS.find((l) => [l.files].flat().some((prefix) => rel.startsWith(prefix)));
};

const packageAllowed = (layer, source) =>
  layer.packages.some((p) => (p.endsWith('/') ? source.startsWith(p) : source === p || source.startsWith(`${p}/`)));

const layersRule = {
  meta: { type: 'problem', schema: [], messages: { crossing: '{{what}} is not allowed here: {{why}} (eslint.config.js LAYERS).' } },
  create(context) {
    const layer = layerOf(context.filename);
    if (!layer) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), source)).split(path.sep).join('/');
        if (!layer.folders.some((f) => `${target}/`.startsWith(f))) context.report({ node, messageId: 'crossing', data: { what: `'${source}' (${target})`, why: layer.why } });
      } else if (!packageAllowed(layer, source)) context.report({ node, messageId: 'crossing', data: { what: `the package '${source}'`, why: layer.why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/**
 * The workflow's words, read from the catalogue's own source so the rule never re-types them: a stage or role
 * written as a string in renderer code is the renderer deciding the workflow. Screens import STAGE and ROLE
 * (shared/domain/transitions.ts, shared/roles.ts) or show what the services' view allows.
 */
const wordsOf = (file, pattern) => [...readFileSync(path.join(root, file), 'utf8').match(pattern)[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
const STAGES = wordsOf('shared/domain/transitions.ts', /export type Stage =([^;]+);/).join('|');
const ROLE_WORDS = wordsOf('shared/roles.ts', /export const ROLES = \[([^\]]+)\]/).join('|');
const WORKFLOW_LITERALS = [
  { selector: `BinaryExpression[operator=/^[!=]==$/] > Literal[value=/^(${STAGES})$/]`, message: 'A stage written as a string: import STAGE from shared/domain/workflow.ts (or use the acts the case view allows).' },
  { selector: `ArrayExpression > Literal[value=/^(${STAGES})$/]`, message: 'A list of stages re-typed: import STAGE from shared/domain/workflow.ts (or use the acts the case view allows).' },
  { selector: `SwitchCase > Literal.test[value=/^(${STAGES})$/]`, message: 'A stage written as a string: import STAGE from shared/domain/workflow.ts.' },
  { selector: `BinaryExpression[operator=/^[!=]==$/][left.property.name='role'] > Literal[value=/^(${ROLE_WORDS})$/]`, message: 'A role written as a string: import ROLE from shared/roles.ts (or use the acts the case view allows).' },
  { selector: `BinaryExpression[operator=/^[!=]==$/][left.name='role'] > Literal[value=/^(${ROLE_WORDS})$/]`, message: 'A role written as a string: import ROLE from shared/roles.ts (or use the acts the case view allows).' },
  { selector: `BinaryExpression[operator=/^[!=]==$/][left.expression.property.name='role'] > Literal[value=/^(${ROLE_WORDS})$/]`, message: 'A role written as a string: import ROLE from shared/roles.ts (or use the acts the case view allows).' },
  { selector: `CallExpression[callee.property.name='includes'] > MemberExpression > ArrayExpression > Literal[value=/^(${ROLE_WORDS})$/]`, message: 'A list of roles re-typed: import ROLE from shared/roles.ts (or use the acts the case view allows).' },
];
// A day is written by one function per language (renderer/src/time.ts formatDay, dayFormat): no format re-typed.
const DAY_LITERALS = [
  { selector: 'Literal[value=/DD\\.MM\\.YYYY/]', message: 'A day format re-typed: use formatDay() or dayFormat() from renderer/src/time.ts.' },
  { selector: 'TemplateElement[value.raw=/DD\\.MM\\.YYYY/]', message: 'A day format re-typed: use formatDay() or dayFormat() from renderer/src/time.ts.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scratch/**', 'test-results/**', 'playwright-report/**', '.bench-data/**', 'bin/**', 'tests/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { jardem: { rules: { layers: layersRule } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'jardem/layers': 'error',
    },
  },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } }, rules: { 'no-restricted-syntax': ['error', ...WORKFLOW_LITERALS, ...DAY_LITERALS] } },
  // The one place that says how each language writes a day, and the typed-in forms it accepts.
  { files: ['renderer/src/time.ts', 'renderer/src/components/DayInput.tsx'], rules: { 'no-restricted-syntax': ['error', ...WORKFLOW_LITERALS] } },
);
