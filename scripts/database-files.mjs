// Which test files open a database: those that reach, through their own relative imports (type-only
// imports aside), the database connection or a database driver. The postgres target runs only
// those; a file that never opens a database would only run the same code a second time.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DRIVERS = new Set(['pg', 'better-sqlite3', 'kysely']);
const IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveLocal(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && c.match(/\.tsx?$/));
}

export function createDatabaseProbe() {
  const memo = new Map();
  const opens = (file, seen = new Set()) => {
    if (memo.has(file)) return memo.get(file);
    if (seen.has(file)) return false; // a cycle: the answer comes from the other imports
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    let found = false;
    for (const regex of [IMPORT, DYNAMIC]) {
      for (const match of source.matchAll(regex)) {
        const spec = match[1];
        if (DRIVERS.has(spec)) found = true;
        else if (spec.startsWith('.')) {
          const target = resolveLocal(file, spec);
          if (target && opens(target, seen)) found = true;
        }
        if (found) break;
      }
      if (found) break;
    }
    memo.set(file, found);
    return found;
  };
  return (file) => opens(path.resolve(file));
}
