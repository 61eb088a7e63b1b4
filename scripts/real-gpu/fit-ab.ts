/**
 * Where the example's fit spends its time beyond the bench's training step (on an NVIDIA H200 the
 * example ran at 80-140 ms/step against 16-24 ms in bench/webgpu-step.ts). The reference CNN is
 * trained on one backend, alternating three data sources of the same 64-image batches, each for
 * one epoch of --train-size images: `fixed` (prepared batches, no shuffle), `pipeline` (the
 * example's shuffle -> batch -> map(prepare) -> prefetch) and `pipeline+bar` (the same with the
 * progress bar, verbose 1, as the example runs it). Prints ms/step and the backend's counters per
 * step (dispatches, submissions, uploads, readbacks). Run it under `node --cpu-prof` to see the
 * host side. Usage: tsx scripts/real-gpu/fit-ab.ts [webgpu|cpu] [--train-size 1280] [--rounds 2]
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { dittoModel } from '../../bench/lib/models.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('train-size', '1280'));
const ROUNDS = Number(opt('rounds', '2'));
await dt.setBackend(args[0] === 'cpu' ? 'cpu' : 'webgpu');
const backend = adv.currentBackend() as unknown as { description?: string; stats?: () => { stream: Record<string, number> } };
const [[xTrain, yTrain]] = await dt.datasets.mnist.loadData();
const x = xTrain.slice([0, 0, 0], [N, 28, 28]);
const y = yTrain.slice([0], [N]);

// The example's prepare function (examples/reproducibility.ts).
function prepare(image: dt.Tensor, label: dt.Tensor): [dt.Tensor, dt.Tensor] {
  const f = dt.div(dt.cast(image, 'float32'), 255);
  return [dt.image.resize(dt.expandDims(f, -1), [32, 32]), label.clone()];
}
const pipeline = () => dt.data.Dataset.fromTensorSlices([x, y]).shuffle(N, { seed: 1 }).batch(64).map(prepare, { numParallelCalls: dt.data.AUTOTUNE }).prefetch(dt.data.AUTOTUNE);
const [bx, by] = prepare(x.slice([0, 0, 0], [64, 28, 28]), y.slice([0], [64]));
const fixedX = dt.concat(Array(N / 64).fill(bx), 0);
const fixedY = dt.concat(Array(N / 64).fill(by), 0);
const fixed = () => dt.data.Dataset.fromTensorSlices([fixedX, fixedY]).batch(64);
const sources = [['fixed', fixed, 0], ['pipeline', pipeline, 0], ['pipeline+bar', pipeline, 1]] as const;

const model = dittoModel();
console.log(`fit-ab: ${backend.description ?? args[0]}, ${N / 64} steps per epoch`);
await model.fit(pipeline(), { epochs: 1, verbose: 0 }); // warm-up: pipelines compiled, pool filled
const steps = N / 64;
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, source, verbose] of sources) {
    const s0 = backend.stats?.().stream;
    const t0 = performance.now();
    await model.fit(source(), { epochs: 1, verbose });
    const ms = (performance.now() - t0) / steps;
    const s1 = backend.stats?.().stream;
    const per = s0 && s1 ? Object.keys(s1).map((k) => `${k} ${((s1[k] - s0[k]) / steps).toFixed(1)}`).join(', ') : '';
    console.log(`${name.padEnd(13)} ${ms.toFixed(1).padStart(7)} ms/step  ${per}`);
  }
}
await dt.shutdown();
