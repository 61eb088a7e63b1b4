#!/usr/bin/env node
/**
 * `npm run fuzz`: the fuzz tests only (test/fuzz: the public ops, layers, thread counts, CPU vs
 * WebGPU, hostile files), with many more cases than `npm test` runs and a fresh random seed.
 *
 *   npm run fuzz                         FUZZ_RUNS=20 (20 times npm test's cases), a random seed
 *   FUZZ_RUNS=100 npm run fuzz           more cases
 *   FUZZ_SECONDS=60 npm run fuzz         also stop each property after 60 s (fast-check's interrupt)
 *   FUZZ_SEED=123 npm run fuzz           replay a seed (printed at the start and the end of every run)
 *   npm run fuzz -- -t 'ops-cpu'         vitest arguments pass through (here: one property)
 *
 * The seed is the base of every property's seed (test/fuzz/harness.ts), so FUZZ_SEED and FUZZ_RUNS
 * reproduce a run exactly; a failing property also prints fast-check's seed and replay path and the
 * shrunk counterexample. Plain JavaScript so that it runs with Node alone.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seed = process.env.FUZZ_SEED ?? String(randomInt(0, 2 ** 32 - 1));
const runs = process.env.FUZZ_RUNS ?? '20';
const env = { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
const replay = `FUZZ_SEED=${seed} FUZZ_RUNS=${runs}${process.env.FUZZ_SECONDS ? ` FUZZ_SECONDS=${process.env.FUZZ_SECONDS}` : ''}`;

console.log(`npm run fuzz: ${replay} (replay: ${replay} npm run fuzz)`);
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
const minutes = ((Date.now() - t0) / 60000).toFixed(1);
console.log(`npm run fuzz: ${r.status === 0 ? 'passed' : 'FAILED'} in ${minutes} min with ${replay}`);
process.exit(r.status ?? 1);
