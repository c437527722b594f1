// Lint, and the layering rules of ../shared/design/architecture.md as errors that fail the build.
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const layer = (message, paths, patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: patterns.map((regex) => ({ regex, message })),
    },
  ],
  // import('…') is an import too.
  'no-restricted-syntax': [
    'error',
    ...paths.map((name) => ({ selector: `ImportExpression > Literal[value=${JSON.stringify(name)}]`, message })),
    ...patterns.map((regex) => ({ selector: `ImportExpression > Literal[value=/${regex.replace(/\//g, '\\/')}/]`, message })),
  ],
});
// Relative imports into another top-level folder, e.g. '../../db/open' or '../electron/services/x'.
const into = (...folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scratch/**', 'test-results/**', 'playwright-report/**', '.bench-data/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: layer(
      'shared/ is pure TypeScript: no Node, DOM, React, Electron or database (architecture.md, Layers).',
      [...nodeBuiltins, 'electron', 'react', 'react-dom', 'better-sqlite3', 'node-forge', 'antd'],
      [into('db', 'electron', 'renderer', 'server')],
    ),
  },
  {
    files: ['db/**/*.ts'],
    rules: layer('db/ may import shared/ and better-sqlite3 only.', [...nodeBuiltins, 'electron', 'react', 'antd', 'node-forge'], [into('electron', 'renderer', 'server')]),
  },
  {
    files: ['electron/services/**/*.ts', 'electron/browser-host/**/*.ts', 'electron/cli/**/*.ts'],
    rules: layer(
      'The services and the non-Electron hosts never import electron or the renderer (architecture.md, Layers).',
      ['electron', 'react', 'react-dom', 'antd'],
      [into('renderer', 'server'), '^(\\.\\./)+(main|preload)(/|$)'],
    ),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: layer('The Electron shell never imports the renderer.', ['react', 'react-dom', 'antd'], [into('renderer', 'server')]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer(
      'The renderer never touches Node, the database, keys or files: it calls the typed client (architecture.md).',
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'node-forge'],
      [into('db', 'electron', 'server')],
    ),
  },
  {
    files: ['server/**/*.ts'],
    // One exception: the simulated national PKI (electron/services/pki) is shared by the workstation and the
    // server, as the real NCA's libraries would be; nothing else of the workstation code is.
    rules: layer('The central server uses shared/ and the simulated PKI only, never the workstation code.', ['electron', 'react', 'better-sqlite3'], [
      into('db', 'renderer'),
      '^(\\.\\./)+electron/(?!services/pki/)',
    ]),
  },
);
