/**
 * The map of a functional graph (Keras 3's map_graph in keras/src/ops/function.py): from the
 * model's output tensors back to its inputs, a depth-first walk orders the nodes; each node's
 * depth is the longest path from it to an output; the layers are ordered by decreasing depth, then
 * by first visit; the nodes run by decreasing depth. It refuses a tensor that cannot be computed
 * from the inputs ("graph disconnected") and two layers with one name.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../core/internal.ts';
import type { GraphLayer, Node, SymbolicTensor } from './symbolic.ts';

/** The nodes and layers of a functional graph, in Keras's order. */
export interface GraphMap {
  /** Every node of the graph (input nodes included), by decreasing depth: the order they run in. */
  nodes: Node[];
  /** The layers, by decreasing depth then first visit (Keras's `model.layers`, InputLayers included). */
  layers: GraphLayer[];
  /** The nodes grouped by depth (0: the nodes that produce outputs), depths in decreasing order. */
  nodesByDepth: Map<number, Node[]>;
}

/**
 * Maps the graph between `inputs` and `outputs`.
 * @throws {@link ArgumentError} when an output depends on a tensor that does not come from `inputs`, or when two
 * layers have one name.
 */
export function mapGraph(fn: string, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): GraphMap {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const ordered: Node[] = []; // from inputs to outputs
  const layerIndex = new Map<GraphLayer, number>();
  const visit = (tensor: SymbolicTensor): void => {
    const node = tensor.node;
    if (finished.has(node)) return;
    if (inProgress.has(node)) throw new ArgumentError(`${fn}: tensor ${tensor} from layer '${node.layer.name}' is part of a cycle`);
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    if (!node.isInput && !inputs.includes(tensor)) for (const t of node.flatInputs) visit(t);
    finished.add(node);
    inProgress.delete(node);
    ordered.push(node);
  };
  for (const o of outputs) visit(o);

  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<GraphLayer, number>();
  for (const node of [...ordered].reverse()) {
    if (!nodeDepth.has(node)) nodeDepth.set(node, 0);
    // A shared layer seen deeper before keeps that depth (its nodes may sit at several depths).
    const depth = Math.max(nodeDepth.get(node)!, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.parentNodes) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
  }
  // Inputs not connected to any output still belong to the model (Keras keeps them, at depth 0).
  for (const input of inputs) {
    const layer = input.node.layer;
    if (!layerDepth.has(layer)) {
      layerDepth.set(layer, 0);
      layerIndex.set(layer, -1);
      nodeDepth.set(input.node, 0);
    }
  }

  const byDepth = new Map<number, Node[]>();
  for (const [node, d] of nodeDepth) {
    if (!byDepth.has(d)) byDepth.set(d, []);
    byDepth.get(d)!.push(node);
  }
  const depths = [...byDepth.keys()].sort((a, b) => b - a);
  const nodesByDepth = new Map(depths.map((d) => [d, byDepth.get(d)!]));

  const layersByDepth = new Map<number, GraphLayer[]>();
  for (const [layer, d] of layerDepth) {
    if (!layersByDepth.has(d)) layersByDepth.set(d, []);
    layersByDepth.get(d)!.push(layer);
  }
  const layers = [...layersByDepth.keys()].sort((a, b) => b - a)
    .flatMap((d) => [...layersByDepth.get(d)!].sort((a, b) => layerIndex.get(a)! - layerIndex.get(b)!));

  // Every tensor a node needs must be computable from the inputs, depth by depth.
  const computable = new Set<SymbolicTensor>(inputs);
  const done: string[] = [];
  const nodes: Node[] = [];
  for (const group of nodesByDepth.values()) {
    for (const node of group) {
      if (node.isInput && !node.flatOutputs.some((t) => computable.has(t))) {
        const t = node.flatOutputs[0];
        throw new ArgumentError(`${fn}: graph disconnected: cannot find parent for tensor ${t} at layer '${node.layer.name}': it comes from an Input that is not among the model's inputs. The following previous layers were accessed without issue: [${done.join(', ')}]`);
      }
      for (const x of node.flatInputs) {
        if (!computable.has(x)) {
          throw new ArgumentError(`${fn}: graph disconnected: cannot find parent for tensor ${x} at layer '${node.layer.name}'. The following previous layers were accessed without issue: [${done.join(', ')}]`);
        }
      }
      done.push(node.layer.name);
      for (const x of node.flatOutputs) computable.add(x);
      nodes.push(node);
    }
  }

  const names = layers.map((l) => l.name);
  for (const name of names) {
    const n = names.filter((m) => m === name).length;
    if (n !== 1) throw new ArgumentError(`${fn}: the name '${name}' is used ${n} times in the model. All layer names should be unique`);
  }
  return { nodes, layers, nodesByDepth };
}
