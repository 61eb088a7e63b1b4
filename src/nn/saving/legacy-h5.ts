/**
 * Reading the weights of legacy Keras HDF5 files (Keras 2 / tf.keras, and Keras 3's legacy writer):
 * full models keep them under `model_weights`, weights-only files at the root. The group's
 * `layer_names` attribute lists the layers in model order; each layer's group has a `weight_names`
 * attribute listing its datasets in weight order (`dense/kernel:0` in Keras 2, `dense/kernel` in
 * Keras 3), paths relative to the layer's group. As Keras's `load_weights_from_hdf5_group` does, the
 * layers with weights are matched by position to the model's layers with weights (or, with
 * byName, by layer name), and each layer's weights by position. Everything is checked first.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError } from '../../core/internal.ts';
import type { Layer } from '../layer.ts';
import type { H5Group } from './hdf5.ts';
import { nodeAt } from './weights-h5.ts';
import { type PendingAssign, datasetValues } from './weight-values.ts';

/** Whether a read HDF5 tree is a legacy Keras file (a `model_weights` group, or `layer_names` at the root). */
export function isLegacyKerasTree(root: H5Group): boolean {
  return root.children.get('model_weights')?.kind === 'group' || 'layer_names' in root.attrs;
}

function names(fn: string, source: string, g: H5Group, attr: string, where: string): string[] {
  const v = g.attrs[attr];
  if (v === undefined) throw new DataFormatError(`${fn}: ${source}: expected a '${attr}' attribute on ${where}. Received: none (not a Keras HDF5 weights file?)`);
  const list = typeof v === 'string' ? [v] : typeof v === 'number' ? [] : v;
  if (!list.every((s) => typeof s === 'string')) throw new DataFormatError(`${fn}: ${source}: expected '${attr}' on ${where} to list names. Received: ${JSON.stringify(v)}`);
  return list as string[];
}

/**
 * Matches a legacy Keras HDF5 tree to `model` and checks every value;
 * returns what to assign.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming `source` and the layer or dataset: another number
 * of layers with weights, of weights in a layer, a missing dataset, a shape or type that differs.
 */
export function matchLegacyWeights(fn: string, layers: readonly Layer<any, any>[], root: H5Group, source: string, byName = false): PendingAssign[] {
  const mw = root.children.get('model_weights');
  const g = mw?.kind === 'group' ? mw : root;
  const where = mw ? "'model_weights'" : 'the root group';
  const saved: { layer: string; group: H5Group; weights: string[] }[] = [];
  for (const layer of names(fn, source, g, 'layer_names', where)) {
    const lg = g.children.get(layer);
    if (!lg || lg.kind !== 'group') throw new DataFormatError(`${fn}: ${source}: the layer group '${layer}' listed in layer_names is missing`);
    const weights = names(fn, source, lg, 'weight_names', `the layer group '${layer}'`);
    if (weights.length) saved.push({ layer, group: lg, weights });
  }
  const withWeights = layers.filter((l) => l.weights.length > 0);
  let pairs: [Layer<any, any>, (typeof saved)[number]][];
  if (byName) {
    const byLayer = new Map(saved.map((s) => [s.layer, s]));
    pairs = [];
    for (const l of withWeights) {
      const s = byLayer.get(l.name);
      if (s) pairs.push([l, s]);
    }
  } else {
    if (saved.length !== withWeights.length) {
      throw new DataFormatError(`${fn}: ${source}: the file has ${saved.length} layers with weights [${saved.map((s) => s.layer).join(', ')}], but the model has ${withWeights.length} [${withWeights.map((l) => l.name).join(', ')}]`);
    }
    pairs = withWeights.map((l, i) => [l, saved[i]]);
  }
  const out: PendingAssign[] = [];
  for (const [l, s] of pairs) {
    const ws = l.weights;
    if (ws.length !== s.weights.length) {
      throw new DataFormatError(`${fn}: ${source}: the layer '${s.layer}' has ${s.weights.length} weights [${s.weights.join(', ')}], but the model's layer '${l.name}' has ${ws.length} [${ws.map((w) => w.name).join(', ')}]`);
    }
    s.weights.forEach((wn, i) => {
      const d = nodeAt(s.group, wn);
      const item = `${mw ? 'model_weights/' : ''}${s.layer}/${wn}`;
      if (!d || d.kind !== 'dataset') throw new DataFormatError(`${fn}: ${source}: the dataset '${item}' listed in weight_names is missing`);
      out.push({ variable: ws[i], values: datasetValues(fn, source, item, d, ws[i]) });
    });
  }
  return out;
}
