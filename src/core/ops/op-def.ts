/**
 * How a primitive op is defined once: `infer` (every shape/dtype/argument check, run before any
 * kernel, giving the output's shape and dtype) and `grad` (the vector-Jacobian product written with
 * other ops, so it runs on every backend). A gradient gets the op functions as its third argument
 * (`GradOps`): an op file imports only the ops its forward computation needs, so the op files never
 * import each other in a circle. Kernels live in src/kernels/<backend>/.
 * Part of src/core.
 */
import type { DType } from '../dtype.ts';
import type { Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type * as Ops from './index.ts';
import type { OpAttrMap, OpName } from './op-attrs.ts';

/** Shape and dtype of a tensor, as seen by `infer`. */
export interface TensorSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a gradient function receives besides dy. */
export interface GradContext<A> {
  /** The op's inputs (alive for the duration of the backward pass). */
  readonly inputs: readonly Tensor[];
  /** The op's output. */
  readonly output: Tensor;
  readonly attrs: A;
  /** needs[i]: whether input i's gradient is used; a grad function may return null where false. */
  readonly needs: readonly boolean[];
  /**
   * reluMasked[i]: input i is the output of an op recorded on the same tape whose definition says
   * {@link OpDef.masksOutputGrad} (relu, conv2dBiasAct 'relu'), so this gradient may return input i's
   * gradient already masked by input i > 0 (and marked: relu-mask.ts) without changing a bit.
   */
  readonly reluMasked: readonly boolean[];
}

/** The op functions a gradient is written with, handed to it by the backward pass. */
export type GradOps = typeof Ops;

/** Gradient of the loss with respect to each input (null: not differentiable / no gradient). */
export type GradFn<A> = (dy: Tensor, ctx: GradContext<A>, ops: GradOps) => readonly (Tensor | null)[];

export interface OpDef<O extends OpName | 'reshape'> {
  readonly name: O;
  /** Checks inputs and attrs; returns the output's shape and dtype. Throws engine errors. */
  infer(inputs: readonly TensorSpec[], attrs: AttrsOf<O>): { shape: number[]; dtype: DType };
  /** Vector-Jacobian product; absent for ops with no gradient (integer outputs, comparisons). */
  readonly grad?: GradFn<AttrsOf<O>>;
  /** A view op shares its input's storage and runs no kernel (reshape). */
  readonly view?: boolean;
  /**
   * Whether (for these attrs) the gradient starts by masking dy with relu's gradient at the output y
   * (y > 0 ? dy : +0, or the same mask from the input) and skips that mask for a dy marked as
   * already masked for y (relu-mask.ts): the gradient reaching y may then be masked earlier.
   */
  readonly masksOutputGrad?: (attrs: AttrsOf<O>) => boolean;
}

export type AttrsOf<O extends OpName | 'reshape'> = O extends OpName ? OpAttrMap[O] : { shape: number[] };

/** Type-erased op definition, as stored on the tape and passed through the engine. */
export interface AnyOpDef {
  readonly name: OpName | 'reshape';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  infer(inputs: readonly TensorSpec[], attrs: any): { shape: number[]; dtype: DType };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly grad?: GradFn<any>;
  readonly view?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly masksOutputGrad?: (attrs: any) => boolean;
}

const names: OpName[] = [];

/**
 * Every primitive op name, in the order the op modules define them (filled as src/core/ops/ loads, so
 * complete once the package is loaded). The names' type is {@link OpName}: the keys of {@link OpAttrMap},
 * which the kernel tables of both backends must cover, so a primitive without a kernel does not compile.
 */
export const OP_NAMES: readonly OpName[] = names;

/**
 * Gives an op definition its precise type and records its name in {@link OP_NAMES}; a primitive is
 * defined once (a second definition of a name throws).
 */
export function defineOp<O extends OpName | 'reshape'>(def: OpDef<O>): OpDef<O> {
  if (def.name !== 'reshape') {
    const name = def.name as OpName;
    if (names.includes(name)) throw new Error(`defineOp: the primitive '${name}' is defined twice`);
    names.push(name);
  }
  return def;
}
