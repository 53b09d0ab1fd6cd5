// Bundles src/ into dist/cli.js (dependencies stay external): run by `npm ci` through "prepare".
// What src/ loads with import() (ActivityPub's Fedify, say) becomes a chunk of its own under
// dist/chunks/, so a command that never needs it does not load its dependencies.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  sourcemap: 'linked',
  logLevel: 'warning',
});
