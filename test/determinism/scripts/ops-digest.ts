/**
 * Runs a fixed sequence of ops (every reduction-bearing kernel, transcendental and gradient) on
 * seeded inputs and prints the hex bytes of every result, one line per op. Used by
 * ops-two-process.test.ts to compare two fresh processes byte for byte.
 * Usage: tsx test/determinism/scripts/ops-digest.ts [seed] [backend]
 */
import * as dt from '../../../src/index.ts';

const seed = Number(process.argv[2] ?? 1);
const backend = (process.argv[3] ?? 'cpu') as dt.BackendName;

/** Deterministic test data (an LCG; not the engine's RNG, which has its own tests). */
function data(n: number, salt: number): Float32Array {
  let s = (seed * 2654435761 + salt * 40503) >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 4;
  }
  return out;
}

await dt.setBackend(backend);
const x = dt.tensor(data(2 * 9 * 9 * 3, 1), [2, 9, 9, 3]);
const w = dt.tensor(data(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
const m = dt.tensor(data(300 * 70, 3), [300, 70]);
const results: [string, dt.Tensor][] = dt.tidy(() => {
  const conv = dt.conv2d(x, w, { strides: 2, padding: 'same' });
  const [dx, dw] = dt.grad((a: dt.Tensor, b: dt.Tensor) => dt.sum(dt.square(dt.conv2d(a, b, { padding: 'same' }))))(x, w);
  return [
    ['conv2d', conv], ['conv2d dx', dx], ['conv2d dw', dw],
    ['matmul', dt.matmul(m, m, { transposeA: true })],
    ['sum', dt.sum(m)], ['sum axis0', dt.sum(m, 0)], ['mean', dt.mean(m, 1)],
    ['maxPool2d', dt.maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' })],
    ['avgPool2d', dt.avgPool2d(x, { poolSize: 2 })],
    ['softmax', dt.softmax(m)], ['logSoftmax', dt.logSoftmax(m)],
    ['exp', dt.exp(m)], ['log', dt.log(dt.abs(m))], ['tanh', dt.tanh(m)], ['sigmoid', dt.sigmoid(m)],
  ] as [string, dt.Tensor][];
});
for (const [name, t] of results) {
  const d = await t.data();
  process.stdout.write(`${name} ${Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex')}\n`);
}
await dt.shutdown();
