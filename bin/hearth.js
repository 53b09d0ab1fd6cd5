#!/usr/bin/env node
// The `hearth` command: runs the build made by `npm ci` (scripts/build.mjs) in this very process,
// so signals reach node directly.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('hearth: the build is missing; run "npm ci" (or "npm run build") in the checkout first\n');
  process.exit(1);
}
const { run } = await import(built.href);
process.exitCode = await run(process.argv.slice(2));
// Whatever still holds the event loop (an idle socket, a timer) must not keep a finished command alive.
setTimeout(() => process.exit(), 500).unref();
