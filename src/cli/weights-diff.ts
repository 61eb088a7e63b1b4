/**
 * Comparing two weight files: safetensors files (`model.saveWeights`) or exact-resume checkpoints (a checkpoint
 * directory, or a checkpoint root whose newest valid checkpoint is taken). Tensors are compared by name in sorted
 * order; the first tensor whose dtype, shape or bits differ is reported with its element comparison.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError, debug } from '../core/internal.ts';
import { findLatestCheckpoint, readCheckpoint } from '../nn/checkpoint/reader.ts';
import { type NamedArray, decodeSafetensors } from '../nn/safetensors.ts';

/** What {@link diffWeights} finds. */
export interface WeightsDiff {
  /** Whether every tensor has the same name, dtype, shape and bits. */
  agree: boolean;
  /** Tensors compared. */
  compared: number;
  /** Tensor names in only one file. */
  onlyIn: { a: string[]; b: string[] };
  /** Names of the tensors that differ, in sorted order. */
  differing: string[];
  /** The first differing tensor. */
  first?: { name: string; a: string; b: string; elements?: debug.ElementDiff };
}

/** The tensors of a safetensors file or a checkpoint (directory or root). */
export function readWeights(path: string): Record<string, NamedArray> {
  if (!existsSync(path)) throw new DataFormatError(`ditto: ${path}: no such file or directory`);
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'manifest.json'))) return readCheckpoint(path).tensors;
    const latest = findLatestCheckpoint(path)?.checkpoint;
    if (!latest) throw new DataFormatError(`ditto: ${path}: expected a checkpoint directory or a directory of checkpoints. Received: a directory without a valid checkpoint`);
    return latest.tensors;
  }
  return decodeSafetensors(readFileSync(path), path).tensors;
}

const desc = (t: NamedArray): string => `${t.dtype}[${t.shape.join(',')}]`;

/** Compares two sets of named tensors bit for bit. */
export function diffWeights(a: Record<string, NamedArray>, b: Record<string, NamedArray>): WeightsDiff {
  const na = Object.keys(a).sort();
  const nb = Object.keys(b).sort();
  const out: WeightsDiff = { agree: true, compared: 0, onlyIn: { a: na.filter((n) => !(n in b)), b: nb.filter((n) => !(n in a)) }, differing: [] };
  for (const name of na.filter((n) => n in b)) {
    out.compared++;
    const [x, y] = [a[name], b[name]];
    if (desc(x) !== desc(y)) {
      out.differing.push(name);
      out.first ??= { name, a: desc(x), b: desc(y) };
      continue;
    }
    const e = debug.compareElements(x.data, y.data, x.shape);
    if (e.differing === 0) continue;
    out.differing.push(name);
    out.first ??= { name, a: desc(x), b: desc(y), elements: e };
  }
  out.agree = out.differing.length === 0 && !out.onlyIn.a.length && !out.onlyIn.b.length;
  return out;
}

/** A human-readable report of a {@link WeightsDiff}. */
export function formatWeightsDiff(d: WeightsDiff): string {
  const lines: string[] = [];
  if (d.onlyIn.a.length || d.onlyIn.b.length) lines.push(`tensors only in A: ${d.onlyIn.a.join(', ') || '-'}; only in B: ${d.onlyIn.b.join(', ') || '-'}`);
  const f = d.first;
  if (f) {
    lines.push(`first differing tensor: ${f.name} (${f.a}${f.a !== f.b ? ` vs ${f.b}` : ''})`);
    const e = f.elements;
    if (e) {
      lines.push(`  ${e.differing} of ${e.size} elements differ; largest difference ${e.maxUlps} ulps`);
      lines.push(`  first at index ${e.firstIndex} [${e.firstIndexNd.join(', ')}]: ${e.a}${e.aBits ? ` (0x${e.aBits})` : ''} vs ${e.b}${e.bBits ? ` (0x${e.bBits})` : ''}`);
    }
    lines.push(`  ${d.differing.length} of ${d.compared} tensors differ: ${d.differing.slice(0, 8).join(', ')}${d.differing.length > 8 ? ', ...' : ''}`);
  }
  lines.push(d.agree ? `The weights agree bit for bit (${d.compared} tensors).` : 'The weights differ.');
  return lines.join('\n');
}
