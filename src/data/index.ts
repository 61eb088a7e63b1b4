/**
 * The input pipeline (`dt.data`): Dataset and AUTOTUNE (the shuffle's order function is in the advanced entry).
 * Part of src/data: imports src/core only. `dt.image` is ./image.ts, `dt.datasets` ./datasets/.
 */
export {
  AUTOTUNE, Dataset, DatasetIterator, INFINITE_CARDINALITY,
  type IterateOptions, type ShuffleOptions,
} from './dataset.ts';
export type { MapFn } from './lookahead.ts';
export { UNKNOWN_CARDINALITY } from './dataset.ts';
export type { GeneratorFn, PaddedBatchOptions } from './generator-source.ts';
export type { TensorStructure } from './structure.ts';
