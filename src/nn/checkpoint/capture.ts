/**
 * Taking a checkpoint of a running fit: reads every weight, optimizer slot and metric accumulator
 * from the device (asynchronous: one readback per variable, the cost of a checkpoint besides the
 * fsyncs), and gathers the host state (position, data iterator position and shuffle seeds,
 * optimizer step and hyperparameters, seed generators, global random state, History, callback
 * states) into the canonical safetensors bytes and the state.json text. Nothing here reads a clock
 * or process state: the same training state gives the same bytes.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, getRandomState } from '../../core/internal.ts';
import type { SymbolicShape } from '../layer.ts';
import { Callback, type CallbackLike } from '../callbacks.ts';
import { encodeSafetensors, type NamedArray } from '../safetensors.ts';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './layout.ts';
import { f64Hex } from './number-bits.ts';
import { OUTPUT_LOSS, layerSeedGenerators, metricFunctionName, safetensorsDType, shuffleSeedsOf, statefulTag } from './parts.ts';
import type { CallbackEntry, CheckpointState } from './state.ts';
import { callbackTensor, metricTensor, modelTensor, optimizerTensor } from './tensor-names.ts';
import type { RunPosition, TrainingRun } from './training-run.ts';

async function hostArray(fn: string, name: string, t: Tensor): Promise<NamedArray> {
  const dtype = safetensorsDType(fn, name, t.dtype);
  const d = await t.data();
  // A copy: a backend may hand out a view of its own storage.
  const data = dtype === 'F32' ? Float32Array.from(d as Float32Array) : Int32Array.from(d as Int32Array);
  return { dtype, shape: [...t.shape], data };
}

/** The className of a callback (plain objects: 'Object'). */
export function callbackClass(c: CallbackLike): string {
  return (c as object).constructor?.name ?? 'Object';
}

/** The checkpoint files' content for the run at `pos`. */
export async function captureCheckpoint(run: TrainingRun, pos: RunPosition): Promise<{ tensors: Uint8Array; state: string }> {
  const fn = 'fit';
  const { model, compiled: c } = run;
  const tensors: Record<string, NamedArray> = {};
  for (const w of model.weights) tensors[modelTensor(w.name)] = await hostArray(fn, w.name, w);
  const slots = c.optimizer.variables();
  for (const s of slots) tensors[optimizerTensor(s.name)] = await hostArray(fn, s.name, s);
  const trackers: [string, { variables(): Tensor[] }][] = [['loss', c.lossTracker]];
  for (const m of c.metrics) if (m.tracker && !m.stateful) trackers.push([m.id, m.tracker]);
  for (const m of c.metrics) {
    if (!m.stateful) continue;
    for (const [k, v] of m.tracker!.variables().entries()) tensors[metricTensor(m.id, k)] = await hostArray(fn, v.name, v);
  }
  for (const [id, t] of trackers) {
    const [total, count] = t.variables();
    tensors[metricTensor(id, 'total')] = await hostArray(fn, `${id}/total`, total);
    tensors[metricTensor(id, 'count')] = await hostArray(fn, `${id}/count`, count);
  }
  const callbacks: CallbackEntry[] = [];
  for (const [i, cb] of run.callbacks.entries()) {
    const st = cb instanceof Callback ? await cb.getState() : undefined;
    callbacks.push({ class: callbackClass(cb), state: st ? { json: st.json, arrays: st.arrays.length } : null });
    st?.arrays.forEach((a, k) => { tensors[callbackTensor(i, k)] = { dtype: 'F32', shape: [a.length], data: a }; });
  }
  const seedGenerators: CheckpointState['seedGenerators'] = {};
  for (const [name, g] of layerSeedGenerators(model)) seedGenerators[name] = g.getState();
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    position: { epoch: pos.epoch, step: pos.step, globalStep: pos.globalStep },
    fit: { epochs: run.epochs, stepsPerEpoch: run.stepsPerEpoch, validation: run.validation },
    data: { position: { ...pos.data }, shuffleSeeds: shuffleSeedsOf(run.data) },
    model: {
      // The first layer (a Sequential's first layer, a functional model's first InputLayer) takes one tensor.
      inputShape: [...((model.layers[0]?.buildShape as SymbolicShape | undefined) ?? [])],
      weights: model.weights.map((w) => ({ name: w.name, dtype: w.dtype, shape: [...w.shape] })),
      stopTraining: model.stopTraining,
    },
    optimizer: {
      config: c.optimizer.getConfig(),
      iterations: c.optimizer.iterations,
      slots: slots.map((s) => s.name),
      // Only when set (ReduceLROnPlateau, LearningRateScheduler): checkpoints of other runs keep their bytes.
      ...(c.optimizer.assignedLearningRate !== undefined ? { learningRate: f64Hex(c.optimizer.assignedLearningRate) } : {}),
    },
    metrics: c.metrics.map((m) => (m.stateful
      ? { id: m.id, fn: statefulTag(m.tracker!), shapes: m.tracker!.variables().map((v) => [...v.shape]) }
      : { id: m.id, fn: m.isLoss ? OUTPUT_LOSS : m.fn ? metricFunctionName(m.fn) : null })),
    seedGenerators,
    random: getRandomState(),
    history: run.history.toJSON(),
    callbacks,
  };
  const meta = { format: CHECKPOINT_FORMAT, globalStep: String(pos.globalStep) };
  return { tensors: encodeSafetensors(tensors, meta), state: formatState(state) };
}

/** One top-level field per line, each value compact: readable, and the same state gives the same bytes. */
function formatState(state: CheckpointState): string {
  return `{\n${Object.entries(state).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
}
