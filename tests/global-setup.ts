import { execFileSync } from 'node:child_process';

// Host tests run the real bundled services worker and CLI: build them fresh (esbuild, about a second).
export default function setup() {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
}
