/**
 * The graph of the functional API (Keras's KerasTensor and Node): a SymbolicTensor stands for a
 * batch of values not computed yet (shape with a null batch dimension, dtype, and the node that
 * produces it); a Node records one call of a layer on symbolic tensors (its inputs as passed, the
 * layer, its outputs). Nodes are created by `Layer.apply` on symbolic tensors and read by
 * Functional models, which run them in a fixed order. Also the helpers that flatten the
 * structures layers and models take (one tensor, a list, or a named object, Keras's `tree`).
 * Part of src/nn: imports src/core only.
 */
import type { DType } from '../core/internal.ts';
import type { SymbolicShape } from './layer.ts';

/**
 * What a layer or a model takes and returns: one value, a list of values (merge layers, models with several inputs
 * or outputs) or a named object (models with named inputs or outputs, a Keras dict).
 * @inline
 */
export type Structure<T> = T | readonly T[] | { readonly [name: string]: T };

/** The layer of a node, as the graph sees it (every `Layer` is one). */
export interface GraphLayer {
  /** The layer's name. */
  readonly name: string;
  /** The nodes that called the layer, in call order (Keras's `_inbound_nodes`): a node's index is its position here. */
  readonly inboundNodes: Node[];
}

/**
 * One call of a layer on symbolic tensors (Keras's `Node`): the inputs as passed (one tensor, a list or a named
 * object), the layer, and its outputs. An InputLayer's node has no inputs.
 */
export class Node {
  /** The inputs as passed to the layer (structure kept). */
  readonly inputs: Structure<SymbolicTensor> | undefined;
  /** The inputs, flattened (named objects in sorted key order, as Keras's tree.flatten). */
  readonly flatInputs: readonly SymbolicTensor[];
  /** The outputs, flattened; the node's outputs structure is `outputs`. */
  flatOutputs: readonly SymbolicTensor[] = [];
  /** The outputs as the layer returned them. */
  outputs: Structure<SymbolicTensor> = [];

  /**
   * @param layer the layer called
   * @param inputs its inputs (undefined for an input node)
   * @param training the `training` flag given explicitly at the call, which then overrides the model's
   */
  constructor(readonly layer: GraphLayer, inputs: Structure<SymbolicTensor> | undefined, readonly training?: boolean) {
    this.inputs = inputs;
    this.flatInputs = inputs === undefined ? [] : flattenStructure(inputs);
    layer.inboundNodes.push(this);
  }

  /** Whether it is an InputLayer's node (no inputs). */
  get isInput(): boolean {
    return this.inputs === undefined;
  }

  /** The nodes that produce this node's inputs, in input order. */
  get parentNodes(): Node[] {
    return this.flatInputs.map((t) => t.node);
  }

  /** This node's index in its layer's inbound nodes (Keras's node_index). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }

  /** Records the outputs (called once, by the layer that created the node). */
  setOutputs(outputs: Structure<SymbolicTensor>): void {
    this.outputs = outputs;
    this.flatOutputs = flattenStructure(outputs);
  }
}

/**
 * A symbolic tensor (Keras's KerasTensor): the placeholder that {@link Input} returns and that a layer returns when
 * called on symbolic tensors. It holds no values: a shape (batch dimension null unless a batch size was given), a
 * dtype, and the node and output index that produce it. Build a {@link Functional} model from them.
 */
export class SymbolicTensor {
  /** The shape, batch dimension first (null when unknown). */
  readonly shape: SymbolicShape;
  /** The dtype of the values it stands for. */
  readonly dtype: DType;
  /** A readable name: the producing layer's name. */
  readonly name: string;
  /** The node that produces it. */
  readonly node: Node;
  /** Its position among the node's flattened outputs (Keras's tensor_index). */
  readonly index: number;

  /** @internal Created by layers; use {@link Input} for a model's inputs. */
  constructor(shape: SymbolicShape, dtype: DType, node: Node, index: number, name: string) {
    this.shape = [...shape];
    this.dtype = dtype;
    this.node = node;
    this.index = index;
    this.name = name;
  }

  /** The number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** `<SymbolicTensor shape=(None, 3), dtype=float32, name=dense>` */
  toString(): string {
    return `<SymbolicTensor shape=(${this.shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}), dtype=${this.dtype}, name=${this.name}>`;
  }
}

/** Whether `x` is a symbolic tensor. */
export function isSymbolic(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}

/** The default leaf test: anything but a list or a plain object (a Tensor, a SymbolicTensor). */
const isValueLeaf = (v: unknown): boolean => !Array.isArray(v) && !isPlainObject(v);

/**
 * The leaves of a structure: itself, the list's elements, or the object's values in sorted key order (Keras's
 * tree.flatten). `isLeaf` tells a leaf (default: anything but a list or a plain object; for shapes, {@link isShape}).
 */
export function flattenStructure<T>(s: Structure<T>, isLeaf: (v: unknown) => boolean = isValueLeaf): T[] {
  if (isLeaf(s)) return [s as T];
  if (Array.isArray(s)) return [...(s as readonly T[])];
  const o = s as Record<string, T>;
  return Object.keys(o).sort().map((k) => o[k]);
}

/** `structure` with its leaves replaced, in flatten order, by `flat`'s elements (Keras's tree.pack_sequence_as). */
export function packLike<T, U>(structure: Structure<T>, flat: readonly U[], isLeaf: (v: unknown) => boolean = isValueLeaf): Structure<U> {
  if (isLeaf(structure)) return flat[0];
  if (Array.isArray(structure)) return [...flat];
  const keys = Object.keys(structure as object);
  const sorted = [...keys].sort();
  // The caller's key order is kept in the object itself; values are matched in sorted order.
  return Object.fromEntries(keys.map((k) => [k, flat[sorted.indexOf(k)]]));
}

/** Whether `v` is a plain object ({...}), not a class instance such as a Tensor. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Whether `s` is one shape (numbers and nulls) rather than a structure of shapes. */
export function isShape(s: unknown): s is SymbolicShape {
  return Array.isArray(s) && s.every((d) => d === null || typeof d === 'number');
}
