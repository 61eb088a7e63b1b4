/**
 * The packed-package consumer's workload, in plain JavaScript: builds a small CNN with the public API,
 * trains it for one epoch on a synthetic, seeded image set (dropout, shuffle, Adam), evaluates it, and
 * returns the weights digest, the History and the evaluation. scripts/consumer-test.mjs runs it twice with
 * the same arguments, once against the installed tarball and once against the repository's source, and
 * requires the same digest: the built package computes the same bits as the source.
 * It takes the module as a parameter, so the one file serves both runs.
 */

/** Deterministic synthetic images: a class-dependent bright square on LCG noise, so that training learns. */
function syntheticImages(n, seed) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float32Array(n * 12 * 12);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    y[i] = label;
    for (let p = 0; p < 144; p++) x[i * 144 + p] = next() * 0.5;
    const r0 = 1 + label * 3;
    for (let r = r0; r < r0 + 4; r++) for (let c = r0; c < r0 + 4; c++) x[i * 144 + r * 12 + c] += 1;
  }
  return { x, y };
}

/**
 * Trains and evaluates on `backend` ('cpu' | 'webgpu') with the package `dt`; resolves to
 * { backend, description, digest, history, evaluation }.
 */
export async function train(dt, backend) {
  dt.utils.setRandomSeed(7);
  await dt.setBackend(backend);
  const { x, y } = syntheticImages(96, 12345);
  const xs = dt.tensor(x, [96, 12, 12, 1]);
  const ys = dt.tensor(y, [96], 'int32');
  const data = dt.data.Dataset.fromTensorSlices([xs, ys]).shuffle(96).batch(16);
  const model = new dt.Sequential([
    new dt.layers.Conv2D(4, [3, 3], { activation: 'relu', inputShape: [12, 12, 1] }),
    new dt.layers.MaxPooling2D([2, 2]),
    new dt.layers.Dropout(0.25),
    new dt.layers.Flatten(),
    new dt.layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(data, { epochs: 2, verbose: 0 });
  const evaluation = await model.evaluate(dt.data.Dataset.fromTensorSlices([xs, ys]).batch(32), { verbose: 0 });
  const digest = await dt.utils.weightsDigest(model);
  model.dispose();
  xs.dispose();
  ys.dispose();
  return { backend: dt.getBackend(), description: dt.getBackendInfo().description, digest, history: history.history, evaluation };
}
