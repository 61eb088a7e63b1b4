/**
 * Restoring a fit from a verified checkpoint, all or nothing: `prepareResume` first checks the
 * checkpoint against the resuming program (fit options, the data's shuffle seeds and position, the
 * model's weight names, shapes and dtypes, the optimizer's hyperparameters and slots, the metrics,
 * the seed generators, the random state, History, the callbacks) and throws a DataFormatError
 * naming the first mismatch; only then does `apply` assign weights, optimizer slots and step,
 * metric accumulators, seed generator counters and the global random state. Callback states are
 * applied separately, after onTrainBegin (which resets them).
 * The only changes made before every check has passed are harmless ones: building an unbuilt model
 * from the checkpoint's input shape and creating the optimizer's zero slots (as its first step would).
 * Part of src/nn: imports src/core only.
 */
import {
  DataFormatError, MT19937, SeedGenerator, type Variable, checkAlgorithm, fmtShape, ops, setRandomState, tidy,
} from '../../core/internal.ts';
import { Callback, type CallbackState } from '../callbacks.ts';
import { History } from '../history.ts';
import { MeanMetric } from '../metrics.ts';
import type { NamedArray } from '../safetensors.ts';
import { callbackClass } from './capture.ts';
import { f64FromHex } from './number-bits.ts';
import { layerSeedGenerators, METRIC_FUNCTIONS, OUTPUT_LOSS, STATEFUL_PREFIX, primeState, safetensorsDType, shuffleSeedsOf, statefulTag } from './parts.ts';
import type { LoadedCheckpoint } from './reader.ts';
import { callbackTensor, metricTensor, modelTensor, optimizerTensor } from './tensor-names.ts';
import type { TrainingRun } from './training-run.ts';

/** Where the resumed fit continues, and what it continues with. */
export interface ResumePoint {
  epoch: number;
  step: number;
  globalStep: number;
  history: History;
  /** Restores the callbacks' states; call after onTrainBegin. */
  applyCallbackStates(): void;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function sortedConfig(c: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(c).sort().map((k) => [k, c[k]])));
}

/**
 * Checks `ck` against `run` (throws DataFormatError "fit: cannot resume from <path>: expected ...
 * Received: ..." on the first mismatch) and returns the function that applies it.
 */
export function prepareResume(run: TrainingRun, ck: LoadedCheckpoint): () => ResumePoint {
  const s = ck.state;
  const fail = (what: string): never => {
    throw new DataFormatError(`fit: cannot resume from ${ck.path}: ${what}`);
  };
  const { model, compiled: c } = run;

  // Fit options and data.
  if (s.fit.epochs !== run.epochs) fail(`expected epochs=${s.fit.epochs} (as when the checkpoint was written). Received: epochs=${run.epochs}`);
  if (s.fit.stepsPerEpoch !== null && run.stepsPerEpoch !== null && s.fit.stepsPerEpoch !== run.stepsPerEpoch) {
    fail(`expected training data of ${s.fit.stepsPerEpoch} batches per epoch. Received: ${run.stepsPerEpoch} batches (different data or batch size)`);
  }
  if (s.fit.validation !== run.validation) fail(`expected ${s.fit.validation ? 'validationData' : 'no validationData'}. Received: ${run.validation ? 'validationData' : 'none'}`);
  const seeds = shuffleSeedsOf(run.data);
  if (!same(seeds, s.data.shuffleSeeds)) fail(`expected a data pipeline with shuffle seeds ${JSON.stringify(s.data.shuffleSeeds)}. Received: ${JSON.stringify(seeds)} (the data would be visited in another order)`);
  const { epoch, step } = s.position;
  if (epoch > s.fit.epochs || (s.fit.stepsPerEpoch !== null && step > s.fit.stepsPerEpoch)) fail(`expected a position within ${s.fit.epochs} epochs of ${s.fit.stepsPerEpoch} steps. Received: epoch ${epoch}, step ${step}`);
  if (step > 0 && (s.data.position.epoch !== epoch || s.data.position.index !== step)) {
    fail(`expected the data iterator at epoch ${epoch}, index ${step}. Received: epoch ${s.data.position.epoch}, index ${s.data.position.index}`);
  }

  // Model: build if needed (from the checkpoint's input shape), then weights by name, shape, dtype.
  if (!model.built) {
    if (s.model.inputShape.length === 0) fail('expected the checkpoint to record the model input shape (the model is not built)');
    model.build(s.model.inputShape);
  }
  const ws = model.weights;
  const names = ws.map((w) => w.name);
  const saved = s.model.weights.map((w) => w.name);
  if (!same(names, saved)) fail(`expected model weights [${saved.join(', ')}]. Received: [${names.join(', ')}]`);
  const expectTensor = (tensorName: string, v: Variable): NamedArray => {
    const t = ck.tensors[tensorName];
    const dtype = safetensorsDType('fit', v.name, v.dtype);
    if (t.dtype !== dtype || !same(t.shape, v.shape)) fail(`expected '${tensorName}' ${dtype}${fmtShape(v.shape)} (the model's '${v.name}'). Received: ${t.dtype}${fmtShape(t.shape)} in the checkpoint`);
    return t;
  };
  const weightValues = ws.map((w) => expectTensor(modelTensor(w.name), w));

  // Optimizer: same hyperparameters; slots created as the first step would, then matched by name.
  const cfg = c.optimizer.getConfig();
  if (sortedConfig(cfg) !== sortedConfig(s.optimizer.config)) fail(`expected optimizer ${sortedConfig(s.optimizer.config)}. Received: ${sortedConfig(cfg)}`);
  const assignedLr = s.optimizer.learningRate === undefined ? undefined : f64FromHex(s.optimizer.learningRate, 'state.optimizer.learningRate');
  if (assignedLr !== undefined && typeof c.optimizer.learningRate !== 'number') fail(`expected an optimizer with a constant learningRate (the checkpoint holds a learning rate set during training). Received: ${sortedConfig(cfg)}`);

  // Metrics, seed generators, random state, History, callbacks.
  const ids = c.metrics.map((m) => m.id);
  if (!same(ids, s.metrics.map((m) => m.id))) fail(`expected metrics ${JSON.stringify(s.metrics.map((m) => m.id))}. Received: ${JSON.stringify(ids)}`);
  const metricFns = s.metrics.map((m, i) => {
    if (m.fn !== null && m.fn.startsWith(STATEFUL_PREFIX)) {
      const cm = c.metrics[i];
      const got = cm.stateful ? statefulTag(cm.tracker!) : 'a metric function';
      if (got !== m.fn) fail(`expected metric '${m.id}' to be ${m.fn.slice(STATEFUL_PREFIX.length)}. Received: ${got.replace(STATEFUL_PREFIX, '')}`);
      return undefined;
    }
    if (c.metrics[i].stateful) fail(`expected metric '${m.id}' to be a metric function. Received: ${statefulTag(c.metrics[i].tracker!).slice(STATEFUL_PREFIX.length)}`);
    if (m.fn === null) return undefined;
    if (m.fn === OUTPUT_LOSS) {
      if (!c.metrics[i].isLoss) fail(`expected metric '${m.id}' to be an output's loss. Received: a metric`);
      return undefined;
    }
    const f = METRIC_FUNCTIONS[m.fn];
    if (!f) fail(`expected metric function names ${Object.keys(METRIC_FUNCTIONS).join(', ')}. Received: ${m.fn}`);
    if (c.metrics[i].fn && c.metrics[i].fn !== f) fail(`expected metric '${m.id}' to be ${m.fn}. Received: the model resolved it differently`);
    return f;
  });
  const gens = layerSeedGenerators(model);
  if (!same([...gens.keys()].sort(), Object.keys(s.seedGenerators).sort())) {
    fail(`expected seed generators in layers [${Object.keys(s.seedGenerators).sort().join(', ')}]. Received: [${[...gens.keys()].sort().join(', ')}]`);
  }
  try {
    for (const [name, g] of gens) {
      const st = s.seedGenerators[name];
      if (st.dtype !== g.dtype) fail(`expected seed generator '${name}' of dtype ${st.dtype}. Received: ${g.dtype}`);
      SeedGenerator.fromState(st);
    }
    checkAlgorithm('fit', s.random.algorithm);
    new MT19937(0).setState(s.random.python);
    if (s.random.globalSeedGenerator !== null) SeedGenerator.fromState(s.random.globalSeedGenerator);
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    fail(`expected valid random state. Received: ${(e as Error).message}`);
  }
  const history = History.fromJSON(s.history);
  history.params = { ...run.history.params };
  if (s.callbacks.length !== run.callbacks.length || s.callbacks.some((e, i) => e.class !== callbackClass(run.callbacks[i]))) {
    fail(`expected callbacks [${s.callbacks.map((e) => e.class).join(', ')}]. Received: [${run.callbacks.map(callbackClass).join(', ')}]`);
  }
  const callbackStates: (CallbackState | null)[] = s.callbacks.map((e, i) => {
    if (!e.state) return null;
    const cb = run.callbacks[i];
    if (!(cb instanceof Callback)) return fail(`expected callback ${i} (${e.class}) to be a Callback that restores state`);
    const st: CallbackState = { json: e.state.json, arrays: Array.from({ length: e.state.arrays }, (_, k) => ck.tensors[callbackTensor(i, k)].data as Float32Array) };
    try {
      cb.checkState(st);
    } catch (err) {
      fail((err as Error).message);
    }
    return st;
  });

  c.optimizer.build(model.trainableWeights);
  const slots = c.optimizer.variables();
  if (!same(slots.map((v) => v.name), s.optimizer.slots)) fail(`expected optimizer slots [${s.optimizer.slots.join(', ')}]. Received: [${slots.map((v) => v.name).join(', ')}]`);
  const slotValues = slots.map((v) => expectTensor(optimizerTensor(v.name), v));
  // Stateful metrics: state created as their first update would (a harmless change, as the slots above), then matched.
  const statefulValues: [Variable, NamedArray][] = [];
  s.metrics.forEach((m, i) => {
    if (!m.shapes) return;
    const t = c.metrics[i].tracker!;
    primeState(t, m.shapes);
    const vs = t.variables();
    if (!same(vs.map((v) => v.shape), m.shapes)) fail(`expected metric '${m.id}' state of shapes ${JSON.stringify(m.shapes)}. Received: ${JSON.stringify(vs.map((v) => v.shape))}`);
    vs.forEach((v, k) => statefulValues.push([v, expectTensor(metricTensor(m.id, k), v)]));
  });

  return () => {
    const assign = (v: Variable, a: NamedArray): void => tidy(() => v.assign(ops.tensor(a.data, v.shape, v.dtype)));
    ws.forEach((w, i) => assign(w, weightValues[i]));
    slots.forEach((v, i) => assign(v, slotValues[i]));
    c.optimizer.iterations = s.optimizer.iterations;
    c.optimizer.setLearningRate(assignedLr);
    for (const [v, a] of statefulValues) assign(v, a);
    const trackers: [string, { variables(): Variable[] }][] = [['loss', c.lossTracker]];
    c.metrics.forEach((m, i) => {
      const f = metricFns[i];
      // An output's loss tracker (several outputs) has no function: it exists from compile on.
      if (m.isLoss) {
        trackers.push([m.id, m.tracker!]);
        return;
      }
      if (m.stateful) return;
      if (!f) return;
      if (!m.tracker) {
        m.fn = f;
        m.tracker = new MeanMetric(m.id, f);
      }
      trackers.push([m.id, m.tracker]);
    });
    for (const [id, t] of trackers) {
      const [total, count] = t.variables();
      assign(total, ck.tensors[metricTensor(id, 'total')]);
      assign(count, ck.tensors[metricTensor(id, 'count')]);
    }
    for (const [name, g] of gens) g.setState(s.seedGenerators[name]);
    setRandomState(s.random);
    model.stopTraining = s.model.stopTraining;
    return {
      epoch,
      step,
      globalStep: s.position.globalStep,
      history,
      applyCallbackStates: () => callbackStates.forEach((st, i) => { if (st) (run.callbacks[i] as Callback).setState(st); }),
    };
  };
}
