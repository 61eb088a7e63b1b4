#!/usr/bin/env node
/**
 * Builds ditto's optional native addon (native/addon.c and args.c with its kernels gemm.c, philox.c, pool.c, colsum.c, conv.c and convfilter.c (every .c file there):
 * the GEMM tiles, dropout's Philox stream, 2 x 2 max pooling, column sums, convolutions) into native/build/ditto_native.node, run by `npm install`/`npm ci` (postinstall) and by
 * hand (`npm run build:native`). The CPU backend uses each kernel when the addon loads, this CPU has AVX2 and the
 * kernel's self-check gives its WebAssembly twin's bits (src/kernels/cpu/native-addon.ts); otherwise it runs the
 * WebAssembly kernels, which give the same bits, only slower. So a machine without a C
 * compiler, without Node's headers or not x86-64 simply skips the build: this script never fails an install
 * (exit 0 with a one-line reason) unless given --strict.
 * The flags are part of the bit contract: -mno-fma and -ffp-contract=off keep every multiply and add separate
 * (a fused multiply-add rounds once and would change bits), and no -ffast-math (which reorders sums).
 * Plain JavaScript so that it runs with Node alone. Environment: CC (default cc), DITTO_SKIP_NATIVE=1 skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
// every C file of native/ (addon.c registers the kernels of the others)
const sources = readdirSync(join(root, 'native'))
  .filter((f) => f.endsWith('.c'))
  .sort()
  .map((f) => join(root, 'native', f));
const outDir = join(root, 'native', 'build');
const out = join(outDir, 'ditto_native.node');

function skip(why) {
  console.log(`ditto: native kernels not built (${why}); the CPU backend uses its WebAssembly kernels (the same bits)`);
  process.exit(strict ? 1 : 0);
}

if (process.env.DITTO_SKIP_NATIVE === '1') skip('DITTO_SKIP_NATIVE=1');
if (process.arch !== 'x64') skip(`not x86-64 but ${process.arch}`);
if (process.platform !== 'linux' && process.platform !== 'darwin') skip(`platform ${process.platform}`);
const missing = sources.find((f) => !existsSync(f));
if (missing !== undefined) skip(`${missing} is missing`);
// Node's own headers: <prefix>/include/node (official tarballs, distribution packages, nvm) holds node_api.h.
const prefix = join(dirname(process.execPath), '..');
const include = [join(prefix, 'include', 'node'), '/usr/include/node', '/usr/local/include/node'].find((d) => existsSync(join(d, 'node_api.h')));
if (include === undefined) skip(`no node_api.h under ${join(prefix, 'include', 'node')}`);

const cc = process.env.CC || 'cc';
const flags = ['-O2', '-mavx2', '-mno-fma', '-ffp-contract=off', '-fno-fast-math', '-fPIC', '-shared', '-Wall', '-Wextra', '-Werror', `-I${include}`];
if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
mkdirSync(outDir, { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const r = spawnSync(cc, [...flags, '-o', tmp, ...sources], { encoding: 'utf8' });
if (r.error || r.status !== 0) {
  rmSync(tmp, { force: true });
  const detail = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(0, 3).join(' | ');
  skip(`${cc} failed: ${detail}`);
}
renameSync(tmp, out);
console.log(`ditto: native kernels built (${cc}, AVX2 without FMA): ${out}`);
