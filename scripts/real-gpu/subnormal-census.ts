/**
 * Subnormal census: trains the reference CNN on full MNIST on the CPU backend (the example's
 * pipeline and model) and counts, per op and input shapes, the subnormal and tiny (below 2^-100)
 * float32 values among the op's outputs. It tells which kernels a GPU driver that flushes
 * subnormals to zero would change in practice (scripts/real-gpu/README.md).
 * Usage: npx tsx scripts/real-gpu/subnormal-census.ts [epochs]   (about 4 minutes per epoch on 2 cores)
 */
import * as dt from '../../src/index.ts';
import { CpuBackend } from '../../src/kernels/cpu/index.ts';
import { dittoModel } from '../../bench/lib/models.ts';
await dt.setBackend('cpu');
const counts = new Map<string, { sub: number; tiny: number; n: number; calls: number }>();
const run = CpuBackend.prototype.run;
// Subnormal values among the float32 inputs of the ops that do not compute around a flushing
// driver (everything but the elementwise kernels): what such a driver could see.
const inputCounts = new Map<string, number>();
const ELEMENTWISE = new Set(['add', 'sub', 'mul', 'div', 'sqrt', 'square', 'maximum', 'minimum', 'neg', 'abs', 'where', 'cast', 'reshape', 'clipByValue', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'relu', 'reluGrad']);
const subnormals = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; length: number }) => {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let n = 0;
  for (let i = 0; i < u.length; i++) if ((u[i] & 0x7f800000) === 0 && (u[i] & 0x7fffff) !== 0) n++;
  return n;
};
CpuBackend.prototype.run = function (this: CpuBackend, op, inputs, attrs, out) {
  if (!ELEMENTWISE.has(op)) {
    for (const x of inputs) {
      if (x.dtype !== 'float32') continue;
      const n = subnormals(x.handle);
      if (n) inputCounts.set(op, (inputCounts.get(op) ?? 0) + n);
    }
  }
  run.call(this, op, inputs, attrs, out);
  if (out.dtype !== 'float32') return;
  const a = out.handle;
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let sub = 0;
  let tiny = 0;
  for (let i = 0; i < u.length; i++) {
    const e = u[i] & 0x7f800000;
    if (e === 0 && (u[i] & 0x7fffff) !== 0) sub++;
    else if (e !== 0 && e < 27 << 23) tiny++;
  }
  const k = `${op} ${inputs.map((x) => `[${x.shape.join(',')}]`).join(' ')}`;
  const c = counts.get(k) ?? { sub: 0, tiny: 0, n: 0, calls: 0 };
  c.sub += sub;
  c.tiny += tiny;
  c.n += u.length;
  c.calls++;
  counts.set(k, c);
} as typeof run;
const [[xTrain, yTrain]] = await dt.datasets.mnist.loadData();
function prepare(image: dt.Tensor, label: dt.Tensor): [dt.Tensor, dt.Tensor] {
  const f = dt.div(dt.cast(image, 'float32'), 255);
  return [dt.image.resize(dt.expandDims(f, -1), [32, 32]), label.clone()];
}
dt.utils.setRandomSeed(812);
const ds = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(60000).batch(64).map(prepare, { numParallelCalls: dt.data.AUTOTUNE }).prefetch(dt.data.AUTOTUNE);
const model = dittoModel();
await model.fit(ds, { epochs: Number(process.argv[2] ?? 1), verbose: 2 });
const rows = [...counts].filter(([, c]) => c.sub || c.tiny).sort((a, b) => b[1].sub - a[1].sub);
console.log(`ops with subnormal or tiny (< 2^-100) outputs: ${rows.length} of ${counts.size}`);
for (const [k, c] of rows.slice(0, 30)) console.log(`${String(c.sub).padStart(8)} subnormal ${String(c.tiny).padStart(8)} tiny of ${c.n} in ${c.calls} calls  ${k}`);
console.log(`subnormal inputs of non-elementwise ops: ${inputCounts.size ? [...inputCounts].map(([k, n]) => `${k} ${n}`).join(', ') : 'none'}`);
