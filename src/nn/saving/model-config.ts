/**
 * Sequential and Functional model architectures in Keras's config format, both directions:
 * Keras 3 (`layers` with `inbound_nodes` of `{ args, kwargs }` holding `__keras_tensor__` objects
 * with `keras_history` [layer, node, tensor]; `input_layers`/`output_layers` in the structure of the
 * model's inputs/outputs) and, for reading, legacy Keras 2 / tf.keras (`inbound_nodes` as nested
 * lists `[[['layer', 0, 0, {}]]]`, `batch_input_shape`, Sequential configs as a bare list). Node
 * indices are re-indexed to the nodes that belong to the model, as Keras does. Nested models are
 * layers with their own config; shared layers appear once with several inbound nodes.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';
import { Functional } from '../functional.ts';
import type { Layer } from '../layer.ts';
import { InputLayer } from '../layers/simple.ts';
import type { ModelBase } from '../model-base.ts';
import { Sequential } from '../sequential.ts';
import { type Node, type Structure, SymbolicTensor, flattenStructure, isPlainObject } from '../symbolic.ts';
import { type KerasObject, configError, dtypePolicy, expectKerasObject, isObject, parseDType } from './keras-objects.ts';
import { layerFromKerasConfig, layerToKerasConfig, registerLayerSpec } from './layer-registry.ts';
import type { ConfigReader, ReadContext } from './layer-spec.ts';

// ------------------------------------------------------------------ writing

/** The nodes of a functional model (its private node set) and the layer's node index among them. */
function modelNodes(model: Functional): ReadonlySet<Node> {
  return (model as unknown as { nodes: ReadonlySet<Node> }).nodes;
}

/** Keras's re-indexing: a node's index among those of its layer's nodes that belong to the model. */
function keptIndex(nodes: ReadonlySet<Node>, node: Node): number {
  return node.layer.inboundNodes.filter((n) => nodes.has(n)).indexOf(node);
}

/** A symbolic tensor as Keras 3's `__keras_tensor__`. */
function tensorConfig(nodes: ReadonlySet<Node>, t: SymbolicTensor): Record<string, unknown> {
  return { class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: t.dtype, keras_history: [t.node.layer.name, keptIndex(nodes, t.node), t.index] } };
}

/** A structure of symbolic tensors with each leaf mapped (lists and named objects kept). */
function mapStructure<T>(s: Structure<SymbolicTensor>, fn: (t: SymbolicTensor) => T): unknown {
  if (s instanceof SymbolicTensor) return fn(s);
  if (Array.isArray(s)) return s.map((t) => fn(t as SymbolicTensor));
  return Object.fromEntries(Object.entries(s).map(([k, t]) => [k, fn(t as SymbolicTensor)]));
}

/** The Keras 3 config of a Functional model's own part: name, trainable, layers (with inbound_nodes), input/output layers. */
function functionalToConfig(model: Functional): Record<string, unknown> {
  const nodes = modelNodes(model);
  // Keras counts a nested Functional's nodes from 1 in input_layers/output_layers (its legacy built-in node 0).
  const triple = (t: SymbolicTensor): [string, number, number] => [t.node.layer.name, keptIndex(nodes, t.node) + (t.node.layer instanceof Functional ? 1 : 0), t.index];
  const layers = model.layers.map((layer) => {
    const inbound = layer.inboundNodes.filter((n) => nodes.has(n) && !n.isInput).map((n) => ({
      args: [mapStructure(n.inputs!, (t) => tensorConfig(nodes, t))],
      kwargs: n.training === undefined ? {} : { training: n.training },
    }));
    return { ...layerToKerasConfig(layer), name: layer.name, inbound_nodes: inbound };
  });
  const io = (s: Structure<SymbolicTensor>): unknown => mapStructure(s, triple);
  const { inputStructure, outputStructure } = model as unknown as { inputStructure: Structure<SymbolicTensor>; outputStructure: Structure<SymbolicTensor> };
  return { name: model.name, trainable: model.trainable, layers, input_layers: io(inputStructure), output_layers: io(outputStructure) };
}

/** The Keras 3 config of a Sequential's own part: name, trainable, dtype, layers (an InputLayer first), build_input_shape. */
function sequentialToConfig(model: Sequential): Record<string, unknown> {
  const inputShape = (model as unknown as { inputShape?: (number | null)[] }).inputShape;
  const layers = model.layers.map((l) => layerToKerasConfig(l));
  if (inputShape && !(model.layers[0] instanceof InputLayer)) {
    // Keras 3 keeps the input as an InputLayer first, even when the first layer declared input_shape.
    layers.unshift({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [...inputShape], dtype: 'float32', sparse: false, ragged: false, name: `${model.name}_input` }, registered_name: null });
  }
  const out: Record<string, unknown> = { name: model.name, trainable: model.trainable, dtype: dtypePolicy(), layers };
  if (inputShape) out.build_input_shape = [...inputShape];
  return out;
}

// ------------------------------------------------------------------ reading

/** The path prefix of a model's layers: `outer/layers[1] ('inner') > inner` (the reader's where is the model's own label). */
function modelPath(where: string, name: string): string {
  return where ? `${where} ('${name}') > ${name}` : name;
}

/** Whether `v` is Keras's [layer_name, node_index, tensor_index] triple. */
function isTriple(v: unknown): v is [string, number, number] {
  return Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

/** Reads a Sequential's config: Keras 3 / Keras 2 `{ name, layers, build_input_shape? }` or Keras 2.0's bare list. */
function sequentialFromConfig(r: ConfigReader, _base: unknown, ctx: ReadContext): Sequential {
  const name = r.take('name');
  const trainable = r.take('trainable');
  parseDType(r.take('dtype'), `${r.where}, field dtype`);
  const layersCfg = r.take('layers');
  if (!Array.isArray(layersCfg)) throw configError(r.where, `expected Sequential config.layers to be a list. Received: ${JSON.stringify(layersCfg)?.slice(0, 80)}`, true);
  const buildShape = r.has('build_input_shape') ? r.take('build_input_shape') : undefined;
  r.finish();
  const label = typeof name === 'string' ? name : 'sequential';
  const here = modelPath(r.where, label);
  const layers = layersCfg.map((lc, i) => layerFromKerasConfig(lc, { customObjects: ctx.customObjects, where: `${here}/layers[${i}]`, build: false }));
  let model: Sequential;
  try {
    model = new Sequential(layers, typeof name === 'string' ? { name } : {});
    if (!model.built && Array.isArray(buildShape)) model.build(buildShape as (number | null)[]);
  } catch (e) {
    throw configError(r.where || label, `cannot rebuild Sequential '${label}': ${(e as Error).message}`);
  }
  return checkFrozen(model, trainable, here);
}

/**
 * A model saved with trainable false: Keras also wrote trainable false on each of its layers, whose weights were
 * then created frozen. A model whose layers still have trainable weights cannot be honoured (ditto freezes layers).
 */
function checkFrozen<M extends ModelBase<any, any>>(model: M, trainable: unknown, where: string): M {
  if (trainable !== false) return model;
  if (model.trainableWeights.length > 0) throw configError(where, 'unsupported trainable=false on a model whose layers are trainable (ditto freezes layers: set trainable false on each layer)');
  model.trainable = false;
  return model;
}

/** One inbound node as read: the call's input tensors (structure of triples) and its training flag. */
interface ReadNode {
  inputs: unknown;
  /** Keras 2's format, whose node indices of a nested Functional count its built-in node 0. */
  legacy?: boolean;
  training?: boolean;
}

/** Replaces every __keras_tensor__ (Keras 3) in a node's args by its [layer, node, tensor] triple. */
function historyOf(v: unknown, where: string): unknown {
  if (isObject(v) && v.class_name === '__keras_tensor__') {
    const h = (v.config as Record<string, unknown> | undefined)?.keras_history;
    if (!isTriple(h)) throw configError(where, `expected keras_history [layer, node, tensor]. Received: ${JSON.stringify(h)}`, true);
    return h;
  }
  if (Array.isArray(v)) return v.map((x) => historyOf(x, where));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, historyOf(x, where)]));
  throw configError(where, `expected symbolic tensors in a node's args. Received: ${JSON.stringify(v)?.slice(0, 80)}`, true);
}

/** A layer's inbound nodes in either format. */
function readNodes(raw: unknown, where: string): ReadNode[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw configError(where, `expected inbound_nodes to be a list. Received: ${JSON.stringify(raw)?.slice(0, 80)}`, true);
  return raw.map((node) => {
    if (Array.isArray(node)) {
      // Keras 2: a list of [layer, node, tensor, kwargs]; one entry is a call on one tensor.
      if (!node.every(isTriple)) throw configError(where, `expected a legacy inbound node [[layer, node, tensor, kwargs], ...]. Received: ${JSON.stringify(node).slice(0, 80)}`, true);
      const kwargs = (node[0] as unknown[])[3];
      const training = isObject(kwargs) && typeof kwargs.training === 'boolean' ? kwargs.training : undefined;
      const inputs = node.length === 1 ? (node[0] as unknown[]).slice(0, 3) : node.map((t) => (t as unknown[]).slice(0, 3));
      return { inputs, training, legacy: true };
    }
    if (!isObject(node) || !Array.isArray(node.args)) throw configError(where, `expected an inbound node { args, kwargs }. Received: ${JSON.stringify(node)?.slice(0, 80)}`, true);
    if (node.args.length !== 1) throw configError(where, `unsupported call with ${node.args.length} positional arguments (ditto layers take one input structure)`);
    const kwargs = isObject(node.kwargs) ? node.kwargs : {};
    for (const [k, v] of Object.entries(kwargs)) {
      if (k === 'training' && (typeof v === 'boolean' || v === null)) continue;
      if (k === 'mask' && v === null) continue;
      throw configError(where, `unsupported call argument ${k}=${JSON.stringify(v)?.slice(0, 60)}`);
    }
    return { inputs: historyOf(node.args[0], where), training: typeof kwargs.training === 'boolean' ? kwargs.training : undefined };
  });
}

/** Reads a Functional model's config (Keras 3 or Keras 2), calling each layer on its inputs in dependency order. */
function functionalFromConfig(r: ConfigReader, _base: unknown, ctx: ReadContext): Functional {
  const name = r.take('name');
  const label = typeof name === 'string' ? name : 'functional';
  const here = modelPath(r.where, label);
  const trainable = r.take('trainable');
  parseDType(r.take('dtype'), `${here}, field dtype`);
  const layersCfg = r.take('layers');
  const inputLayers = r.take('input_layers');
  const outputLayers = r.take('output_layers');
  r.finish();
  if (!Array.isArray(layersCfg)) throw configError(here, 'expected Functional config.layers to be a list', true);
  const layers = new Map<string, Layer<any, any>>();
  const pending: { layer: Layer<any, any>; nodes: ReadNode[]; where: string }[] = [];
  layersCfg.forEach((lc, i) => {
    const where = `${here}/layers[${i}]`;
    const o = expectKerasObject(lc, where);
    const layer = layerFromKerasConfig(o, { customObjects: ctx.customObjects, where, build: false });
    const key = typeof o.name === 'string' ? o.name : layer.name;
    if (layers.has(key)) throw configError(where, `two layers named '${key}'`, true);
    layers.set(key, layer);
    pending.push({ layer, nodes: readNodes(o.inbound_nodes, `${where} ('${key}')`), where: `${where} ('${key}')` });
  });
  const byName = new Map([...layers].map(([k, l]) => [k, l]));
  // Outputs of each layer's calls in this model, by node index; an InputLayer's node 0 is its own output.
  const created = new Map<string, SymbolicTensor[][]>();
  for (const [k, l] of byName) created.set(k, l instanceof InputLayer ? [[l.output]] : []);
  // shifted: the index counts a nested Functional's built-in node 0 (Keras's input/output_layers, Keras 2's nodes).
  const resolve = (tr: unknown, shifted = false): SymbolicTensor | undefined => {
    const [ln, ni, ti] = tr as [string, number, number];
    const shift = shifted && byName.get(ln) instanceof Functional ? 1 : 0;
    return created.get(ln)?.[ni - shift]?.[ti];
  };
  const leaves = (s: unknown): unknown[] => (isTriple(s) ? [s] : Array.isArray(s) ? s.flatMap(leaves) : isObject(s) ? Object.values(s).flatMap(leaves) : []);
  const build = (s: unknown, shifted?: boolean): unknown => (isTriple(s) ? resolve(s, shifted) : Array.isArray(s) ? s.map((v) => build(v, shifted)) : Object.fromEntries(Object.entries(s as object).map(([k, v]) => [k, build(v, shifted)])));
  // Keras's order: process layers in order; a node whose inputs do not exist yet waits for the next round.
  const queue = pending.map((p) => ({ ...p, next: 0 }));
  for (;;) {
    let progressed = false;
    let left = 0;
    for (const p of queue) {
      while (p.next < p.nodes.length) {
        const node = p.nodes[p.next];
        for (const t of leaves(node.inputs)) {
          if (!created.has((t as unknown[])[0] as string)) throw configError(p.where, `a node refers to unknown layer '${(t as unknown[])[0]}'`, true);
        }
        if (!leaves(node.inputs).every((t) => resolve(t, node.legacy))) break;
        const args = build(node.inputs, node.legacy);
        let out: Structure<SymbolicTensor>;
        try {
          out = p.layer.apply(args as never, node.training === undefined ? {} : { training: node.training }) as Structure<SymbolicTensor>;
        } catch (e) {
          throw configError(p.where, `cannot call ${p.layer.constructor.name} on its inputs: ${(e as Error).message}`);
        }
        created.get(layerKey(byName, p.layer))!.push(out instanceof SymbolicTensor ? [out] : flattenStructure(out));
        p.next++;
        progressed = true;
      }
      left += p.nodes.length - p.next;
    }
    if (left === 0) break;
    if (!progressed) throw configError(here, 'the layers\' inbound nodes cannot be resolved (a cycle, or a reference to a node that does not exist)', true);
  }
  const io = (s: unknown, what: string): Structure<SymbolicTensor> => {
    const get = (tr: unknown): SymbolicTensor => {
      if (!isTriple(tr)) throw configError(here, `expected ${what} entries [layer, node, tensor]. Received: ${JSON.stringify(tr)}`, true);
      const t = resolve(tr, true);
      if (!t) throw configError(here, `${what} refers to ${JSON.stringify(tr)}, which no layer produced`, true);
      return t;
    };
    if (isTriple(s)) return get(s);
    // A list of one is one tensor, as Keras 3 reads it (Keras 2 always writes lists).
    if (Array.isArray(s)) return s.length === 1 ? get(s[0]) : s.map(get);
    if (isObject(s)) return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, get(v)]));
    throw configError(here, `expected ${what}. Received: ${JSON.stringify(s)}`, true);
  };
  const inputs = io(inputLayers, 'input_layers');
  const outputs = io(outputLayers, 'output_layers');
  let model: Functional;
  try {
    model = new Functional({ inputs, outputs, ...(typeof name === 'string' ? { name } : {}) });
  } catch (e) {
    throw configError(here, `cannot rebuild the functional model: ${(e as Error).message}`);
  }
  return checkFrozen(model, trainable, here);
}

/** The key of `layer` in the name map. */
function layerKey(map: Map<string, Layer<any, any>>, layer: Layer<any, any>): string {
  for (const [k, l] of map) if (l === layer) return k;
  throw new ArgumentError('Keras config: internal error: layer not in the model');
}

// ------------------------------------------------------------------ registration and the public functions

registerLayerSpec({
  className: 'Sequential', cls: Sequential, module: 'keras', ownBase: true, toConfig: sequentialToConfig, fromConfig: sequentialFromConfig as never,
  buildShape: (m: Sequential) => (m as unknown as { inputShape?: unknown }).inputShape,
});
registerLayerSpec({
  className: 'Functional', cls: Functional, module: 'keras.src.models.functional', registeredName: 'Functional', ownBase: true,
  toConfig: functionalToConfig, fromConfig: functionalFromConfig as never,
});
// Keras 2 writes `Model` for a functional model; Keras 3's `keras.Model` class also reads as Functional.
registerLayerSpec({ className: 'Model', cls: class Model extends Functional {}, ownBase: true, fromConfig: functionalFromConfig as never });

/** The Keras 3 config object of a model (Keras's `serialize_keras_object(model)` without compile_config). */
export function modelToKerasConfig(model: ModelBase<any, any>): KerasObject {
  return layerToKerasConfig(model);
}

/** Options of {@link modelFromJSON}. */
export interface ModelFromJSONOptions {
  /** Custom layer classes by class name or registered name (Keras's custom_objects). */
  customObjects?: Record<string, unknown>;
}

/**
 * Rebuilds a model from its Keras config: the parsed object of `config.json` in a `.keras` file, the
 * `model_config` attribute of a legacy `.h5` file, or `model.toJSON()`'s. The weights are new (initialized as the
 * config says); load them separately.
 * @throws {@link ArgumentError} naming the first unsupported class or field and where it sits in the model;
 * {@link DataFormatError} for a malformed config.
 */
export function modelFromKerasConfig(config: unknown, options: ModelFromJSONOptions = {}): ModelBase<any, any> {
  if (isObject(config) && Array.isArray(config.config)) {
    // Keras 2.0-2.2: a Sequential's config is the bare list of its layers.
    return modelFromKerasConfig({ ...config, config: { layers: config.config } }, options);
  }
  const o = expectKerasObject(config, 'the top level');
  const m = layerFromKerasConfig(o, { customObjects: options.customObjects, where: '' });
  if (!(m instanceof Sequential) && !(m instanceof Functional)) {
    throw configError('the top level', `expected a model (Sequential or Functional). Received: class '${o.class_name}'`);
  }
  return m;
}

/**
 * `dt.models.modelFromJSON`: a model from its Keras JSON text (Keras's `keras.models.model_from_json`) or the parsed
 * object: Keras 3's config (the `config.json` of a `.keras` file, `model.toJSON()`), a legacy Keras 2 / tf.keras
 * `model_config` (also wrapped as `{ model_config }`). Custom layer classes come from `customObjects` or
 * `dt.utils.registerKerasSerializable`. The weights are new (initialized as the config says).
 * @throws {@link DataFormatError} for text that is not JSON or not a model config; {@link ArgumentError} for an
 * unsupported class or field (the message names it and where it sits).
 */
export function modelFromJSON(json: string | object, options: ModelFromJSONOptions = {}): ModelBase<any, any> {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw configError('', `modelFromJSON: expected JSON text. ${(e as Error).message}`, true);
    }
  }
  if (isPlainObject(obj) && isObject(obj.model_config)) obj = obj.model_config;
  return modelFromKerasConfig(obj, options);
}

/** `model.toJSON()`: the Keras 3 JSON text of the architecture (Keras's `model.to_json()`). */
export function modelToJSON(model: ModelBase<any, any>): string {
  return JSON.stringify(modelToKerasConfig(model));
}
