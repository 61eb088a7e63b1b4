#!/usr/bin/env node
// The `ditto` command (package.json "bin"): `ditto diff`, `ditto report` (src/cli). In an installed package it
// runs the compiled dist/cli/run.js; in a clone of the repository (tsconfig.json present, tsx installed) it runs
// the TypeScript sources through tsx, so `npx ditto` works without `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'cli', 'run.js');
let tsx = null;
try {
  if (existsSync(join(root, 'tsconfig.json'))) tsx = createRequire(join(root, 'package.json')).resolve('tsx');
} catch {
  tsx = null;
}
if (tsx) {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(tsx).href, join(root, 'src', 'cli', 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else if (existsSync(dist)) {
  await import(pathToFileURL(dist).href);
} else {
  console.error('ditto: dist/cli/run.js is missing: run `npm run build` first');
  process.exit(2);
}
