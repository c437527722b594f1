#!/usr/bin/env node
// The `jardem` command. The TypeScript sources are bundled by `npm run build`, which `npm ci` runs (prepare).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'node', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  console.error('Jardem is not built yet: run `npm run build` (npm ci runs it).');
  process.exit(2);
}
require(bundle);
