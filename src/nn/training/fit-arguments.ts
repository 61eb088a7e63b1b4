/**
 * The checks of `fit(x, y, options)` / `fit(data, options)` that run before anything else: a compiled model, the
 * data (fit-data.ts), epochs and initialEpoch, the verbosity, stepsPerEpoch, validationSteps and validationFreq,
 * and a Dataset or arrays as training data when checkpointing or resuming. The checks of `checkpoint` and
 * `resumeFrom` themselves are the checkpoint code's (checkpoint/).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import { checkFinite, steps } from './batches.ts';
import { type Compiled, requireCompiled } from './compile.ts';
import { type FitData, positiveInt, resolveFitData } from './fit-data.ts';
import type { BatchSource, FitOptions } from './options.ts';
import { isBatchPart } from './outputs.ts';

/** fit's checked arguments. */
export interface FitArguments {
  compiled: Compiled;
  epochs: number;
  initialEpoch: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Batches per epoch if known (stepsPerEpoch, or the data's cardinality), else null until the first epoch ends. */
  stepsPerEpoch: number | null;
  /** The data as sources. */
  data: FitData;
  /** The stepsPerEpoch option, if given. */
  stepsOption?: number;
  /** The validationSteps option, if given. */
  validationSteps?: number;
  /** Whether to validate after epoch `epoch` (0-based), Keras's _should_eval. */
  shouldValidate(epoch: number): boolean;
}

/** The options fit accepts. */
const FIT_OPTIONS = [
  'epochs', 'initialEpoch', 'validationData', 'callbacks', 'verbose', 'sink', 'logInterval', 'checkpoint', 'resumeFrom',
  'batchSize', 'shuffle', 'validationSplit', 'validationFreq', 'validationBatchSize', 'validationSteps', 'stepsPerEpoch',
  'classWeight', 'sampleWeight', 'trace',
];

/** Keras's validation_freq: an integer n (every n-th epoch) or a list of 1-based epochs. */
function validationFreq(v: unknown): (epoch: number) => boolean {
  if (v === undefined) return () => true;
  if (Number.isSafeInteger(v) && (v as number) >= 1) return (e) => (e + 1) % (v as number) === 0;
  if (Array.isArray(v) && v.every((e) => Number.isSafeInteger(e) && e >= 1)) return (e) => v.includes(e + 1);
  throw new ArgumentError(`fit: expected validationFreq to be a positive integer or a list of epochs (1-based). Received: validationFreq=${JSON.stringify(v)}`);
}

/** Checks `fit`'s arguments, throwing an ArgumentError for the first that is wrong. */
export function checkFitArguments(model: { compiled?: Compiled }, x: unknown, y: unknown, o: FitOptions): FitArguments {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new ArgumentError(`fit: expected an options object. Received: ${o === null ? 'null' : Array.isArray(o) ? 'an array' : typeof o}`);
  checkOptions('fit', o, FIT_OPTIONS);
  const compiled = requireCompiled(model, 'fit');
  const stepsOption = positiveInt('fit', 'stepsPerEpoch', o.stepsPerEpoch);
  const validationSteps = positiveInt('fit', 'validationSteps', o.validationSteps);
  const shouldValidate = validationFreq(o.validationFreq);
  const epochs = o.epochs ?? 1;
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError(`fit: expected epochs to be a positive integer. Received: epochs=${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ArgumentError(`fit: expected 0 <= initialEpoch < epochs. Received: initialEpoch=${initialEpoch}, epochs=${epochs}`);
  }
  const verbose = o.verbose === undefined || o.verbose === 'auto' ? 1 : o.verbose;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ArgumentError(`fit: expected verbose 0, 1, 2 or 'auto'. Received: verbose=${JSON.stringify(o.verbose)}`);
  if ((o.checkpoint || o.resumeFrom !== undefined) && !isBatchPart(x) && typeof (x as BatchSource | null)?.iterate !== 'function') {
    throw new ArgumentError('fit: expected a Dataset (a source with iterate(epoch, { start })) or arrays as training data with checkpoint or resumeFrom: the data position must be saved and restored. Received: a plain async iterable');
  }
  const data = resolveFitData(compiled, x, y, o);
  if (stepsOption === undefined) checkFinite('fit', data.train);
  if (data.validation && validationSteps === undefined) checkFinite('fit', data.validation, 'finite validationData', 'validationSteps');
  if (validationSteps !== undefined && !data.validation) throw new ArgumentError('fit: validationSteps applies to validation data: pass validationData or validationSplit. Received: validationSteps without validation data');
  const n = steps(data.train);
  // Keras: the epoch length shown and in History.params is stepsPerEpoch when given.
  const stepsPerEpoch = stepsOption ?? n;
  data.drawSeed?.();
  return { compiled, epochs, initialEpoch, verbose, stepsPerEpoch, data, stepsOption, validationSteps, shouldValidate };
}
