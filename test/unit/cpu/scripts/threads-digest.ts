/**
 * Subprocess for test/unit/cpu/thread-invariance.test.ts (thread count from DITTO_THREADS):
 * runs every heavy CPU kernel (GEMMs, pooling, sums, elementwise, random) on seeded inputs with
 * every job forced parallel, then three Adam
 * steps of the reference CNN (batch 16, default parallel threshold), and prints JSON: a SHA-256
 * per kernel output, the weights digest, the thread count, how many jobs ran in parallel and
 * which kernels ran (WebAssembly SIMD or, with DITTO_CPU_WASM=0, the plain scalar TypeScript loops).
 * Usage: DITTO_THREADS=n [DITTO_CPU_WASM=0] tsx test/unit/cpu/scripts/threads-digest.ts
 */
import { createHash } from 'node:crypto';
import * as dt from '../../../../src/index.ts';
import * as adv from '../../../../src/advanced.ts';
import { gemmKernelKind } from '../../../../src/kernels/cpu/gemm-tasks.ts';
import { nativeColSum } from '../../../../src/kernels/cpu/native-colsum.ts';
import { nativeGemm } from '../../../../src/kernels/cpu/native-gemm.ts';
import { nativeDropout } from '../../../../src/kernels/cpu/native-philox.ts';
import { nativePool } from '../../../../src/kernels/cpu/native-pool.ts';
import { parallelJobCount, setParallelMinWork } from '../../../../src/kernels/cpu/thread-pool.ts';
import { ewAvailable } from '../../../../src/kernels/cpu/wasm-ew.ts';

function data(n: number, salt: number, scale = 2): Float32Array {
  let s = (salt * 2654435761) >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * scale;
  }
  return out;
}
const t = (shape: number[], salt: number, scale = 2) => dt.tensor(data(shape.reduce((a, b) => a * b, 1), salt, scale), shape);
const digest = (d: ArrayBufferView) => createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');

await dt.setBackend('cpu');
setParallelMinWork(1);
const kernels: Record<string, string> = {};
const record = async (name: string, x: dt.Tensor) => {
  kernels[name] = digest(await x.data());
  x.dispose();
};
const x = t([8, 15, 15, 32], 1);
const w = t([3, 3, 32, 32], 2, 0.2);
const dy = t([8, 13, 13, 32], 3);
const x1 = t([80, 32, 32, 1], 4); // gradFilter over 80*30*30 = 72000 terms: three tree levels
const dy1 = t([80, 30, 30, 8], 5);
const w1 = t([3, 3, 1, 8], 6);
await record('conv2d', dt.conv2d(x, w));
await record('conv2d same s2', dt.conv2d(x, w, { strides: 2, padding: 'same' }));
await record('conv2dGradInput', adv.conv2dGradInput(dy, w, x.shape));
await record('conv2dGradFilter', adv.conv2dGradFilter(x, dy, w.shape));
await record('conv2dGradFilter P>65536', adv.conv2dGradFilter(x1, dy1, w1.shape));
await record('conv2d layer1', dt.conv2d(x1, w1));
const a = t([300, 700], 7);
const b = t([700, 200], 8);
await record('matmul', dt.matmul(a, b));
await record('matmul tA tB', dt.matmul(b, a, { transposeA: true, transposeB: true }));
await record('batched matmul', dt.matmul(t([3, 1, 40, 300], 9), t([4, 300, 50], 10)));
await record('maxPool2d', dt.maxPool2d(x1, { poolSize: 2 }));
await record('maxPool2dGrad', adv.maxPool2dGrad(t([80, 16, 16, 1], 11), x1, { poolSize: 2 }));
await record('sum', dt.sum(dy1, [0, 1, 2]));
await record('sum all', dt.sum(dy1));
await record('relu', dt.relu(dy1));
await record('add bias', dt.add(dy1, t([8], 12)));
await record('greater', dt.greater(dy1, 0));
await record('where', dt.where(dt.greater(dy1, 0), dy1, 0));
await record('reluGrad', adv.reluGrad(dy1, t([80, 30, 30, 8], 13)));
await record('mul scalar', dt.mul(dy1, 1.25));
await record('sub scalar first', dt.sub(1, dy1));
await record('div dense', dt.div(dy1, t([80, 30, 30, 8], 14)));
await record('greaterEqual', dt.greaterEqual(dy1, 0.1));
await record('where scalar first', dt.where(dt.less(dy1, 0), 0, dy1));
await record('maxPool2dGrad C=32', adv.maxPool2dGrad(t([8, 7, 7, 32], 15), t([8, 15, 15, 32], 16), { poolSize: 2 }));
await record('sum C=32', dt.sum(dy, [0, 1, 2]));
await record('resizeBilinear', dt.resizeBilinear(t([16, 28, 28, 1], 17), [32, 32]));
await record('resizeBilinear C=3', dt.resizeBilinear(t([5, 9, 7, 3], 18), [13, 4]));
await record('randomUniform', adv.randomUniform([1000, 999], { algorithm: 'philox', key: [5, 6], counter: [0xfffffff0, 0xffffffff, 0, 0] }));
await record('dropoutApply', adv.dropoutApply(dy1, 0.3, { algorithm: 'philox', key: [5, 6], counter: [0xfffffff0, 0xffffffff, 0, 0] }));
await record('dropoutApply threefry', adv.dropoutApply(dy1, 0.3, { algorithm: 'threefry', key: [5, 6] }));
setParallelMinWork();

// A few training steps of the reference CNN.
dt.utils.setRandomSeed(812);
const model = new dt.Sequential([
  new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]), new dt.layers.Dropout(0.2),
  new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]), new dt.layers.Dropout(0.2),
  new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.GlobalAveragePooling2D(),
  new dt.layers.Dense(64, { activation: 'relu' }), new dt.layers.Dropout(0.2), new dt.layers.Dense(10, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
const batches: [dt.Tensor, dt.Tensor][] = [];
for (let i = 0; i < 3; i++) {
  const labels = Int32Array.from(data(16, 20 + i), (v) => Math.floor((v + 1) * 5) % 10);
  batches.push([dt.tensor(data(16 * 32 * 32, 30 + i, 1).map((v) => v + 0.5), [16, 32, 32, 1]), dt.tensor(labels, [16], 'int32')]);
}
await model.fit({ async *[Symbol.asyncIterator]() { for (const [bx, by] of batches) yield [bx.clone(), by.clone()]; } }, { epochs: 1, verbose: 0 });
const weights = await model.weightsDigest();
const simd = { gemm: gemmKernelKind(), ew: ewAvailable() };
const native = { gemm: nativeGemm.status().active, dropout: nativeDropout.status().active, pool: nativePool.status().active, colsum: nativeColSum.status().active };
process.stdout.write(JSON.stringify({ threads: dt.config.getNumThreads(), parallelJobs: parallelJobCount(), kernels, weights, simd, native }) + '\n');
await dt.shutdown();
