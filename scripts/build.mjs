#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to dist/ as ESM JavaScript with .d.ts declarations and source maps
 * (tsconfig.build.json; relative `.ts` imports are rewritten to `.js`), then copies the CPU backend's
 * hand-written JavaScript modules and their declarations, which the compiler does not emit, next to the
 * compiled files, so the worker threads of a built package load compiled JavaScript only.
 * Plain JavaScript so that it runs with Node alone (`prepack` runs it before `npm pack`/`npm publish`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/package.json').replace(/package\.json$/, 'bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build: the TypeScript compiler failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
let copied = 0;
for (const file of walk(src)) {
  if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
  const to = join(dist, relative(src, file));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(file, to);
  copied++;
}
console.log(`build: dist/ written (${walk(dist).length} files; ${copied} hand-written JavaScript and declaration files copied)`);
