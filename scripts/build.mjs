#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to dist/ as ESM JavaScript with .d.ts declarations and source maps
 * (tsconfig.build.json; relative `.ts` imports are rewritten to `.js`). Every source is TypeScript, the
 * CPU backend's worker entry included, so the worker threads of a built package load compiled
 * JavaScript only (dist/kernels/cpu/worker.js, no loader).
 * Plain JavaScript so that it runs with Node alone (`prepack` runs it before `npm pack`/`npm publish`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
console.log(`build: dist/ written (${walk(dist).length} files)`);
