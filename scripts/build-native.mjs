#!/usr/bin/env node
/**
 * Builds ditto's optional native GEMM tiles (native/ditto_gemm.c) into native/build/ditto_gemm.node, run by
 * `npm install`/`npm ci` (postinstall) and by hand (`npm run build:native`). The CPU backend uses the addon when
 * it loads, this CPU has AVX2 and its self-check gives the WebAssembly kernel's bits (src/kernels/cpu/native-gemm.ts);
 * otherwise it runs the WebAssembly kernels, which give the same bits, only slower. So a machine without a C
 * compiler, without Node's headers or not x86-64 simply skips the build: this script never fails an install
 * (exit 0 with a one-line reason) unless given --strict.
 * The flags are part of the bit contract: -mno-fma and -ffp-contract=off keep every multiply and add separate
 * (a fused multiply-add rounds once and would change bits), and no -ffast-math (which reorders sums).
 * Plain JavaScript so that it runs with Node alone. Environment: CC (default cc), DITTO_SKIP_NATIVE=1 skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
const src = join(root, 'native', 'ditto_gemm.c');
const outDir = join(root, 'native', 'build');
const out = join(outDir, 'ditto_gemm.node');

function skip(why) {
  console.log(`ditto: native GEMM not built (${why}); the CPU backend uses its WebAssembly kernels (the same bits)`);
  process.exit(strict ? 1 : 0);
}

if (process.env.DITTO_SKIP_NATIVE === '1') skip('DITTO_SKIP_NATIVE=1');
if (process.arch !== 'x64') skip(`not x86-64 but ${process.arch}`);
if (process.platform !== 'linux' && process.platform !== 'darwin') skip(`platform ${process.platform}`);
if (!existsSync(src)) skip('native/ditto_gemm.c is missing');
// Node's own headers: <prefix>/include/node (official tarballs, distribution packages, nvm) holds node_api.h.
const prefix = join(dirname(process.execPath), '..');
const include = [join(prefix, 'include', 'node'), '/usr/include/node', '/usr/local/include/node'].find((d) => existsSync(join(d, 'node_api.h')));
if (include === undefined) skip(`no node_api.h under ${join(prefix, 'include', 'node')}`);

const cc = process.env.CC || 'cc';
const flags = ['-O2', '-mavx2', '-mno-fma', '-ffp-contract=off', '-fno-fast-math', '-fPIC', '-shared', '-Wall', '-Wextra', '-Werror', `-I${include}`];
if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
mkdirSync(outDir, { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const r = spawnSync(cc, [...flags, '-o', tmp, src], { encoding: 'utf8' });
if (r.error || r.status !== 0) {
  rmSync(tmp, { force: true });
  const detail = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(0, 3).join(' | ');
  skip(`${cc} failed: ${detail}`);
}
renameSync(tmp, out);
console.log(`ditto: native GEMM built (${cc}, AVX2 without FMA): ${out}`);
