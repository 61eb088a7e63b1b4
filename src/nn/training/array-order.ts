/**
 * The order in which fit visits array data with `shuffle: true`: epoch e's permutation of [0, n) is a pure
 * function of (seed, e), where the seed is drawn once per fit from the Python-style global generator
 * (`makeDefaultSeed()`, reseeded by `dt.utils.setRandomSeed`), as `Dataset.shuffle` draws its default seed.
 * determinism: the permutation is exactly the order of `Dataset.fromTensorSlices(...).shuffle(n, { seed })` in
 * epoch e (src/data/shuffle-order.ts, steps 1-5 with a buffer holding the whole data): Philox4x32-10 of
 * (counter [e_lo, e_hi, SHUFFLE_TAG, 0], key = the seed's int64 words) gives the state of a pure-rand
 * xoroshiro128+ generator, whose unbiased uniformInt draws drive the Fisher-Yates shuffle
 * "a = [0..n-1]; for m = n..1: j = draw(m); emit a[j]; a[j] = a[m-1]". (src/nn may not import src/data, so the
 * few lines are repeated here; test/unit/nn/fit-arrays.test.ts checks that both give the same order.)
 * Keras draws `np.random.permutation(n)` from NumPy's global generator each epoch instead: the distribution over
 * orders is the same, the bits differ.
 * Part of src/nn: imports src/core only (and the pure-rand package).
 */
import { int64ToWords, philox4x32Into } from '../../core/internal.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** Philox counter word 2 of the shuffle's streams ("SHUF"), as src/data/shuffle-order.ts. */
const SHUFFLE_TAG = 0x53485546;
const TWO32 = 4294967296;

/** The visiting order of epoch `epoch` of `n` samples shuffled with `seed` (see the header). */
export function epochPermutation(seed: number, epoch: number, n: number): Int32Array {
  const [s0, s1] = int64ToWords('fit', 'seed', seed);
  const w = new Uint32Array(4);
  philox4x32Into(epoch % TWO32, Math.floor(epoch / TWO32), SHUFFLE_TAG, 0, s0, s1, w, 0, 10);
  if ((w[0] | w[1] | w[2] | w[3]) === 0) w[0] = 1;
  const rng = xoroshiro128plusFromState([w[0] | 0, w[1] | 0, w[2] | 0, w[3] | 0]);
  const a = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(n);
  for (let m = n, k = 0; m >= 1; m--, k++) {
    const j = uniformInt(rng, 0, m - 1);
    out[k] = a[j];
    a[j] = a[m - 1];
  }
  return out;
}
