/**
 * The reference example's "unseeded initializers after set_random_seed" step: seeds with
 * dt.utils.setRandomSeed(seed), constructs two unseeded GlorotNormal and applies each to [3, 5], printing the
 * float32 bytes of both results (hex, one line each). Used by test/unit/initializers/seeding.test.ts to compare
 * fresh processes. Usage: tsx test/determinism/scripts/initializers-seed.ts <seed> [philox|threefry]
 */
import * as dt from '../../../src/index.ts';

await dt.setBackend('cpu');
const seed = Number(process.argv[2] ?? 812);
const algorithm = (process.argv[3] ?? 'philox') as dt.random.RandomAlgorithm;

dt.random.setAlgorithm(algorithm);
dt.utils.setRandomSeed(seed);
const g3 = new dt.initializers.GlorotNormal();
const g4 = new dt.initializers.GlorotNormal();
for (const g of [g3, g4]) {
  const t = g.apply([3, 5]);
  const d = t.dataSync() as Float32Array;
  process.stdout.write(`${Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex')}\n`);
  t.dispose();
}
