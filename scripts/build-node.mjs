// Bundles the Node side (services worker, hosts, CLI, Electron shell) into dist/node/*.cjs with esbuild.
// Native modules (better-sqlite3, sharp with its libvips) and electron stay external: loaded from node_modules at run time.
import { build } from 'esbuild';

const entries = {
  'services-worker': 'electron/services/worker.ts',
  // The helper thread the services worker waits on while NCALayer signs (electron/services/keys/ncalayer-blocking.ts).
  'ncalayer-thread': 'electron/services/keys/ncalayer-thread.ts',
  'browser-host': 'electron/browser-host/main.ts',
  cli: 'electron/cli/main.ts',
  'electron-main': 'electron/main/main.ts',
  preload: 'electron/preload/preload.ts',
  server: 'server/src/main.ts',
  // The server's threads that check pushed events' signatures (node/verify-pool.ts): the server's push and the workstation's pull.
  'verify-thread': 'node/verify-thread.ts',
  // The thread that downloads a pulled page's files while the page before is applied (electron/services/sync/blob-thread-host.ts).
  'blob-thread': 'electron/services/sync/blob-thread.ts',
};

await build({
  entryPoints: entries,
  outdir: 'dist/node',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['better-sqlite3', 'sharp', 'pdfmake', 'fastify', 'electron', 'pg', '@electric-sql/pglite', 'piscina'],
  logLevel: 'warning',
});
console.log(`built ${Object.keys(entries).length} Node bundles into dist/node`);
