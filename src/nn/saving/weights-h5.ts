/**
 * Keras 3's weights HDF5 layout (`*.weights.h5`, and `model.weights.h5` inside a `.keras` archive),
 * keyed by model structure (see structure-keys.ts): for every saveable a group `<path>/vars` whose
 * `name` attribute (a variable-length UTF-8 string) is the saveable's name, holding its variables as
 * datasets "0", "1", ... (float32 `<f`, int32 `<i`); the container groups (`layers`, `layers/dense`)
 * carry no attributes. Reading follows Keras's `_load_state`: the model's structure is walked and
 * each visited group must hold exactly the variables of its layer; groups the walk does not visit
 * (metrics) are not read. The optimizer's `optimizer/vars`: see optimizer-state.ts. Everything is checked before anything
 * is assigned.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError } from '../../core/internal.ts';
import type { Layer } from '../layer.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import type { H5Dataset, H5DatasetSpec, H5Group, H5GroupSpec } from './hdf5.ts';
import { optimizerDatasets } from './optimizer-state.ts';
import { structureOf } from './structure-keys.ts';
import { type PendingAssign, datasetValues } from './weight-values.ts';

/** A group being assembled. */
interface Building {
  attrs?: Record<string, string>;
  children: Map<string, Building | H5DatasetSpec>;
}

/**
 * The HDF5 tree of `model`'s weights in Keras 3's layout (give it to writeHdf5), with `optimizer`'s state under
 * `optimizer/vars` when its layout is one ditto writes (see optimizer-state.ts).
 */
export async function kerasWeightsTree(model: Layer<any, any>, optimizer?: Optimizer): Promise<H5GroupSpec> {
  const { entries, groups } = structureOf(model);
  const root: Building = { children: new Map() };
  const groupAt = (path: string): Building => {
    let g = root;
    for (const part of path.split('/')) {
      let c = g.children.get(part);
      if (!c) g.children.set(part, (c = { children: new Map() }));
      g = c as Building;
    }
    return g;
  };
  for (const { path, name } of groups) groupAt(path).attrs = { name };
  const opt = await optimizerDatasets(optimizer, model.trainableWeights);
  if (optimizer && opt) {
    const g = groupAt('optimizer/vars');
    g.attrs = { name: optimizer.name.toLowerCase() };
    for (const [k, d] of opt) g.children.set(k, d);
  }
  for (const { key, variable } of entries) {
    const cut = key.lastIndexOf('/');
    const data = (await variable.data()) as Float32Array | Int32Array;
    const spec: H5DatasetSpec = { shape: [...variable.shape], dtype: variable.dtype === 'int32' ? '<i' : '<f', data };
    groupAt(key.slice(0, cut)).children.set(key.slice(cut + 1), spec);
  }
  return root;
}

/** The node at `path` ("layers/dense/vars") of a read tree, or undefined. */
export function nodeAt(root: H5Group, path: string): H5Group | H5Dataset | undefined {
  let node: H5Group | H5Dataset | undefined = root;
  for (const part of path.split('/')) {
    if (!node || node.kind !== 'group') return undefined;
    node = node.children.get(part);
  }
  return node;
}

/** Whether a read HDF5 tree looks like Keras 3's layout (a `layers` or `vars` group at the root). */
export function isKerasWeightsTree(root: H5Group): boolean {
  return root.children.get('vars')?.kind === 'group' || root.children.get('layers')?.kind === 'group';
}

/**
 * Matches a read Keras 3 weights tree to `model` by structure and checks every value; returns what to assign.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming `source` and the group or dataset: a layer's group
 * missing or holding another number of variables, a dataset of the wrong shape or type.
 */
export function matchKerasWeights(fn: string, model: Layer<any, any>, root: H5Group, source: string): PendingAssign[] {
  const { entries, groups } = structureOf(model);
  const counts = new Map<string, number>();
  for (const { key } of entries) {
    const g = key.slice(0, key.lastIndexOf('/'));
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  for (const { path, name } of groups) {
    const want = counts.get(path) ?? 0;
    const g = nodeAt(root, path);
    if (g !== undefined && g.kind !== 'group') throw new DataFormatError(`${fn}: ${source}: expected '${path}' to be a group. Received: a dataset`);
    const have = g ? [...g.children.values()].filter((c) => c.kind === 'dataset').length : 0;
    if (have !== want) {
      const why = g ? `holds ${have} variables` : 'is missing';
      throw new DataFormatError(`${fn}: ${source}: the group '${path}' ${why}, but the model's layer '${name}' has ${want} weights (is the file from another architecture?)`);
    }
  }
  return entries.map(({ key, variable }) => {
    const d = nodeAt(root, key);
    if (!d || d.kind !== 'dataset') throw new DataFormatError(`${fn}: ${source}: the dataset '${key}' for the model's '${variable.name}' is missing`);
    return { variable, values: datasetValues(fn, source, key, d, variable) };
  });
}
