/**
 * Where the checkpointed state lives in a model, its compiled configuration and its data source:
 * the layers' seed generators, the metric functions by canonical name, the pipeline's shuffle
 * seeds, and the safetensors dtype of a variable.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type DType, SeedGenerator, ops, tidy } from '../../core/internal.ts';
import { categoricalAccuracy, type MetricFn, sparseCategoricalAccuracy } from '../metrics.ts';
import { EXTRA_METRIC_FUNCTIONS } from '../metric-functions.ts';
import type { SafetensorsDType } from '../safetensors.ts';
import type { CheckpointedModel, CheckpointedTracker } from './training-run.ts';

/**
 * Every layer's own SeedGenerator (Dropout's), by layer name, in layer order. The layers of a nested model (a model
 * used as a layer) are walked too, named `<model>/<layer>` (recursively), so each generator has one stable name; a
 * generator met twice (a layer shared by an inner and the outer model) is listed once, under its first name.
 */
export function layerSeedGenerators(model: CheckpointedModel): Map<string, SeedGenerator> {
  const out = new Map<string, SeedGenerator>();
  const seen = new Set<SeedGenerator>();
  const walk = (layers: CheckpointedModel['layers'], prefix: string): void => {
    for (const l of layers) {
      const g = (l as { seedGenerator?: unknown }).seedGenerator;
      if (g instanceof SeedGenerator && !seen.has(g)) {
        seen.add(g);
        out.set(prefix + l.name, g);
      }
      const inner = (l as { layers?: unknown }).layers;
      if (Array.isArray(inner)) walk(inner, `${prefix}${l.name}/`);
    }
  };
  walk(model.layers, '');
  return out;
}

/** The function name a checkpoint records for an output's loss tracker (models with several outputs). */
export const OUTPUT_LOSS = 'loss';

/** The resolved metric functions by canonical name. */
export const METRIC_FUNCTIONS: Readonly<Record<string, MetricFn>> = {
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  categorical_accuracy: categoricalAccuracy,
  ...EXTRA_METRIC_FUNCTIONS,
};

/** The canonical name of a resolved metric function. */
export function metricFunctionName(fn: MetricFn): string {
  const name = Object.keys(METRIC_FUNCTIONS).find((k) => METRIC_FUNCTIONS[k] === fn);
  if (!name) throw new ArgumentError(`fit: checkpoint: expected a built-in metric function (${Object.keys(METRIC_FUNCTIONS).join(', ')}). Received: a custom function`);
  return name;
}

/** The shuffle seeds of a Dataset (null for sources that do not report them). */
export function shuffleSeedsOf(data: object): number[] | null {
  const f = (data as { shuffleSeeds?: () => number[] }).shuffleSeeds;
  return typeof f === 'function' ? f.call(data) : null;
}

/** The safetensors dtype tag of a variable's dtype. */
export function safetensorsDType(fn: string, name: string, dtype: DType): SafetensorsDType {
  if (dtype === 'float32') return 'F32';
  if (dtype === 'int32') return 'I32';
  throw new ArgumentError(`${fn}: expected '${name}' to be float32 or int32. Received: ${dtype}`);
}

/** The prefix of the function name a checkpoint records for a stateful metric: 'metric:<class name>'. */
export const STATEFUL_PREFIX = 'metric:';

/** The checkpoint tag of a stateful metric. */
export function statefulTag(m: object): string {
  return STATEFUL_PREFIX + m.constructor.name;
}

/**
 * Makes a stateful metric whose state is created by its first update (FBetaScore, R2Score) hold its state, so a
 * checkpoint can be restored into it: one update with one zero row of the state's width (the restore then
 * overwrites every value).
 */
export function primeState(m: CheckpointedTracker, shapes: readonly (readonly number[])[]): void {
  if (m.variables().length > 0 || shapes.length === 0) return;
  const width = shapes[0].length ? shapes[0][shapes[0].length - 1] : 1;
  tidy(() => {
    const z = ops.zeros([1, width]);
    m.update(z, z);
  });
}
