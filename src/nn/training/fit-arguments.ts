/**
 * The checks of `fit(data, options)` that run before anything else: a compiled model, epochs and
 * initialEpoch, the verbosity, and a Dataset as training data when checkpointing or resuming.
 * The checks of `checkpoint` and `resumeFrom` themselves are the checkpoint code's (checkpoint/).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import { checkFinite, checkSource, steps } from './batches.ts';
import { type Compiled, requireCompiled } from './compile.ts';
import type { BatchSource, FitOptions } from './options.ts';

/** fit's checked arguments. */
export interface FitArguments {
  compiled: Compiled;
  epochs: number;
  initialEpoch: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Batches per epoch if the data knows (cardinality), else null until the first epoch ends. */
  stepsPerEpoch: number | null;
}

/** The options fit accepts. */
const FIT_OPTIONS = ['epochs', 'initialEpoch', 'validationData', 'callbacks', 'verbose', 'sink', 'logInterval', 'checkpoint', 'resumeFrom', 'trace'];

/** Keras fit options that ditto does not support yet, and what to do instead. */
const FIT_UNSUPPORTED: Record<string, string> = {
  batchSize: 'batch the Dataset instead (dataset.batch(n))',
  validationSplit: 'split the data yourself and pass validationData',
  shuffle: 'shuffle the Dataset instead (dataset.shuffle(n))',
  stepsPerEpoch: 'take a finite number of batches instead (dataset.take(n))',
  validationSteps: 'take a finite number of batches of validationData instead (dataset.take(n))',
  validationBatchSize: 'batch validationData instead (dataset.batch(n))',
  validationFreq: 'validation runs after every epoch',
  classWeight: 'ditto has no sample weights',
  sampleWeight: 'ditto has no sample weights',
};

/** Checks `fit`'s arguments, throwing an ArgumentError for the first that is wrong. */
export function checkFitArguments(model: { compiled?: Compiled }, data: BatchSource, o: FitOptions): FitArguments {
  checkOptions('fit', o, FIT_OPTIONS, FIT_UNSUPPORTED);
  const compiled = requireCompiled(model, 'fit');
  checkSource('fit', data);
  checkFinite('fit', data);
  if (o.validationData !== undefined) {
    checkSource('fit: validationData', o.validationData);
    checkFinite('fit', o.validationData, 'finite validationData', 'validationSteps');
  }
  const epochs = o.epochs ?? 1;
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError(`fit: expected epochs to be a positive integer. Received: epochs=${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ArgumentError(`fit: expected 0 <= initialEpoch < epochs. Received: initialEpoch=${initialEpoch}, epochs=${epochs}`);
  }
  const verbose = o.verbose === undefined || o.verbose === 'auto' ? 1 : o.verbose;
  const stepsPerEpoch = steps(data);
  if ((o.checkpoint || o.resumeFrom !== undefined) && typeof data?.iterate !== 'function') {
    throw new ArgumentError('fit: expected a Dataset (a source with iterate(epoch, { start })) as training data with checkpoint or resumeFrom: the data position must be saved and restored. Received: a plain async iterable');
  }
  return { compiled, epochs, initialEpoch, verbose, stepsPerEpoch };
}
