/**
 * The input pipeline (`dt.data`): Dataset, AUTOTUNE, and the shuffle's order function.
 * Part of src/data: imports src/core only. `dt.image` is ./image.ts, `dt.datasets` ./datasets/.
 */
export {
  AUTOTUNE, AUTOTUNE_PARALLEL_CALLS, AUTOTUNE_PREFETCH, Dataset, DatasetIterator, INFINITE_CARDINALITY,
  type IterateOptions, type ShuffleOptions,
} from './dataset.ts';
export type { MapFn } from './lookahead.ts';
export { SHUFFLE_TAG, shuffleOrder, shuffleSampler, shuffleStateWords, type ShuffleSampler } from './shuffle-order.ts';
export type { TensorStructure } from './structure.ts';
