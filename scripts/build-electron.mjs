// Bundles the Electron main process and the preload with esbuild. The preload must be a single
// CommonJS file (sandboxed preloads cannot load modules); main keeps node_modules external.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.mjs',
  format: 'esm',
  packages: 'external',
});
await build({
  ...common,
  entryPoints: ['electron/jobs/worker.ts'],
  outfile: 'dist/electron/worker.mjs',
  format: 'esm',
  packages: 'external',
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  external: ['electron'],
});
console.log('built dist/electron/main.mjs, worker.mjs and preload.cjs');
