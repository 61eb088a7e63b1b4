/**
 * The gradient tape and backprop: while a tape is open (grad.ts opens one per differentiation),
 * every op that depends on a watched tensor and has a gradient is recorded, keeping its inputs'
 * and output's storage alive; `backprop` then runs the op definitions' gradients in reverse
 * recording order, handing them the op functions. `noGrad` pauses recording.
 * Part of src/core: imports nothing outside src/core.
 */
import type { DType } from './dtype.ts';
import { currentScope, withGradientScope } from './debug/scope.ts';
import { TRACING } from './debug/tracer.ts';
import { ShapeError, fmtShape } from './errors.ts';
import type { AnyOpDef, GradOps } from './ops/op-def.ts';
import { type Shape, shapesEqual } from './shape.ts';
import { type Storage, releaseStorage } from './storage.ts';
import { makeTensor } from './tensor-factory.ts';
import type { Tensor } from './tensor.ts';

/** A tensor kept alive by the tape for the backward pass, independent of user disposal. */
interface Saved {
  readonly id: number;
  readonly storage: Storage;
  readonly shape: Shape;
  readonly dtype: DType;
}

interface TapeNode {
  readonly def: AnyOpDef;
  /** The scope the forward op ran under, kept only while an op trace records (for its gradient's records). */
  readonly scope?: string;
  readonly attrs: unknown;
  readonly inputs: readonly Saved[];
  readonly output: Saved;
}

/** Records ops whose inputs depend on watched tensors. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Ids of tensors that depend on a watched source. */
  readonly active = new Set<number>();
}

const tapes: Tape[] = [];
let paused = 0;

/** Whether an op run now may be recorded (a tape is open and recording is not paused). */
export function isRecording(): boolean {
  return tapes.length > 0 && paused === 0;
}

/** Records `def` run on `inputs` on every open tape that watches one of them. */
export function record(def: AnyOpDef, inputs: readonly Tensor[], attrs: unknown, output: Tensor): void {
  if (!def.grad || output.dtype !== 'float32') return;
  for (const tape of tapes) {
    if (!watchesAny(tape, inputs)) continue;
    tape.active.add(output.id);
    const scope = TRACING.tracer === null ? undefined : currentScope();
    tape.nodes.push({ def, attrs, scope, inputs: inputs.map(save), output: save(output) });
  }
}

function watchesAny(tape: Tape, inputs: readonly Tensor[]): boolean {
  for (const t of inputs) if (tape.active.has(t.id)) return true;
  return false;
}

function save(t: Tensor): Saved {
  t.storage.refs++;
  return { id: t.id, storage: t.storage, shape: t.shape, dtype: t.dtype };
}

/** Runs `fn` without recording anything on gradient tapes (its results are constants). */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/** Starts recording ops that depend on `sources`. */
export function pushTape(sources: readonly Tensor[]): Tape {
  const tape = new Tape();
  for (const s of sources) tape.active.add(s.id);
  tapes.push(tape);
  return tape;
}

/** Stops recording on `tape` (which must be the innermost). */
export function popTape(tape: Tape): void {
  const top = tapes.pop();
  if (top !== tape) throw new Error('engine: gradient tapes closed out of order');
}

/** Releases the storage the tape kept alive. */
export function releaseTape(tape: Tape): void {
  for (const n of tape.nodes) {
    for (const s of n.inputs) releaseStorage(s.storage);
    releaseStorage(n.output.storage);
  }
  tape.nodes.length = 0;
}

/**
 * Reverse-mode pass: gradients of `output` (seeded with `dy`) with respect to `sources`.
 * Nodes run in reverse recording order and contributions to a tensor used several times are
 * summed in that order: the result is a pure function of the program. Sources the output does
 * not depend on get zeros. `ops`: the op functions (this module sits below them, so they are passed in).
 * Each gradient also learns which of its inputs are outputs of relu-masking ops on this tape
 * (GradContext.reluMasked: maxPool2d then folds relu's gradient into its own; ops/relu-mask.ts).
 */
export function backprop(tape: Tape, output: Tensor, dy: Tensor, sources: readonly Tensor[], ops: GradOps): Tensor[] {
  const grads = new Map<number, Tensor>();
  grads.set(output.id, dy);
  // The node that produced each recorded tensor, for GradContext.reluMasked.
  const producers = new Map<number, TapeNode>();
  for (const n of tape.nodes) producers.set(n.output.id, n);
  // No closures are made per node where no trace records (under tsx each named closure costs a defineProperty).
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i];
    const g = grads.get(node.output.id);
    const grad = node.def.grad;
    if (!g || !grad) continue;
    const k = node.inputs.length;
    const inputs = new Array<Tensor>(k);
    const needs = new Array<boolean>(k);
    const masked = new Array<boolean>(k);
    for (let j = 0; j < k; j++) {
      const s = node.inputs[j];
      inputs[j] = makeTensor(s.storage, s.shape, s.dtype);
      needs[j] = tape.active.has(s.id);
      masked[j] = reluMasked(producers, s);
    }
    const out = makeTensor(node.output.storage, node.output.shape, node.output.dtype);
    const ctx = { inputs, output: out, attrs: node.attrs as never, needs, reluMasked: masked };
    const scope = node.scope;
    const inGrads = scope === undefined ? grad(g, ctx, ops) : withGradientScope(scope, node.def.name, () => grad(g, ctx, ops));
    for (let j = 0; j < k; j++) {
      const gi = inGrads[j];
      const src = node.inputs[j];
      if (!gi || !needs[j]) continue;
      if (!shapesEqual(gi.shape, src.shape)) {
        throw new ShapeError(`${node.def.name}: gradient has shape ${fmtShape(gi.shape)} but its input has shape ${fmtShape(src.shape)} (engine bug)`);
      }
      const prev = grads.get(src.id);
      grads.set(src.id, !prev ? gi : scope === undefined ? ops.add(prev, gi) : withGradientScope(scope, 'accumulate', () => ops.add(prev, gi)));
    }
  }
  // Each source gets its own tensor, even when two gradients are the same object (dy passed through).
  const handedOut = new Set<Tensor>();
  return sources.map((s) => {
    const g = grads.get(s.id);
    if (!g) return ops.zerosLike(s);
    if (handedOut.has(g)) return ops.clone(g);
    handedOut.add(g);
    return g;
  });
}

/** Whether recorded tensor `s` is the output of a relu-masking op on the tape (GradContext.reluMasked). */
function reluMasked(producers: ReadonlyMap<number, TapeNode>, s: Saved): boolean {
  const p = producers.get(s.id);
  return p?.def.masksOutputGrad?.(p.attrs) === true;
}
