/**
 * Comparing two op traces: records are aligned by stream and position (`st`, `k`: the ops of training step s in
 * program order, and the ops outside steps), walked in run A's order, and the first op whose output hash differs is
 * the root cause; when all its inputs have the same hashes in both runs, that op itself computed something
 * different (kind 'op'); otherwise an input that no traced op produced differs (kind 'input': other data, or an op
 * outside the traced steps). Every later differing op is counted as contaminated. With values in both traces, the
 * root cause's elements are compared (count, largest ulp distance, first index, both values).
 * Part of src/core: imports nothing outside src/core.
 */
import { type ElementDiff, compareElements } from './ulps.ts';
import { type Trace, type TraceRecord, recordValues } from './trace-format.ts';

/** The statistics of one run's output of an op. */
export interface OutputStats {
  /** Hash of the bits. */
  hash: string;
  /** Smallest finite value. */
  min: number | null;
  /** Largest finite value. */
  max: number | null;
  /** Mean of the finite values. */
  mean: number | null;
  /** NaN count. */
  nan: number;
  /** Infinity count. */
  inf: number;
  /** Subnormal count. */
  sub: number;
}

/** The first differing op of two traces. */
export interface RootCause {
  /** 'op': its inputs agree and its output differs; 'input': one of its inputs, produced by no traced op, differs. */
  kind: 'op' | 'input';
  /** Sequence number in run A. */
  seq: number;
  /** Training step (0 outside steps). */
  step: number;
  /** Stream ('s<step>' or 'out') and position in it. */
  st: string;
  /** Position in the stream. */
  k: number;
  /** The primitive op. */
  op: string;
  /** The scope (layer) it ran under. */
  scope: string;
  /** 'forward' or 'gradient'. */
  phase: string;
  /** For a gradient op: the forward op differentiated. */
  of?: string;
  /** Output shape. */
  shape: number[];
  /** Output dtype. */
  dtype: string;
  /** For each input, whether its hash agrees. */
  inputsAgree: boolean[];
  /** Run A's output statistics. */
  a: OutputStats;
  /** Run B's output statistics. */
  b: OutputStats;
  /** The element comparison, when both traces hold the op's values. */
  elements?: ElementDiff;
}

/** What a divergence went on to change. */
export interface Contamination {
  /** Differing ops after the root cause. */
  ops: number;
  /** Of them, ops whose inputs all agree (other root causes, independent of the first). */
  independent: number;
  /** The steps with differing ops. */
  steps: number[];
  /** The scopes with the most differing ops, most first: [scope, count]. */
  scopes: [string, number][];
  /** The last differing op compared (seq in run A), or -1. */
  lastSeq: number;
}

/** The result of {@link diffTraces}. */
export interface TraceDiff {
  /** Whether every aligned op has the same output bits and the op sequences agree. */
  agree: boolean;
  /** Aligned pairs compared. */
  compared: number;
  /** Records of A with no counterpart in B (e.g. log reads at other steps), and of B not in A. */
  onlyInA: number;
  /** Records of B with no counterpart in A. */
  onlyInB: number;
  /** The first place where the runs executed different ops (op name, shape or dtype), if any. */
  structure?: {
    /** Sequence number in run A. */
    seq: number;
    /** The stream. */
    st: string;
    /** Position in the stream. */
    k: number;
    /** Run A's op there: 'name dtype[shape]'. */
    a: string;
    /** Run B's op there. */
    b: string;
  };
  /** The first differing op. */
  root?: RootCause;
  /** What differed after it. */
  contaminated: Contamination;
}

const key = (r: TraceRecord): string => `${r.st}#${r.k}`;
const desc = (r: TraceRecord): string => `${r.op} ${r.dtype}[${r.shape.join(',')}]`;
const stats = (r: TraceRecord): OutputStats => ({ hash: r.hash, min: r.min, max: r.max, mean: r.mean, nan: r.nan, inf: r.inf, sub: r.sub });

/** Compares two traces op by op and names the first divergence (see the module comment). */
export function diffTraces(a: Trace, b: Trace): TraceDiff {
  const byKey = new Map<string, TraceRecord>();
  for (const r of b.records) byKey.set(key(r), r);
  const out: TraceDiff = { agree: true, compared: 0, onlyInA: 0, onlyInB: 0, contaminated: { ops: 0, independent: 0, steps: [], scopes: [], lastSeq: -1 } };
  const seen = new Set<string>();
  const steps = new Set<number>();
  const scopes = new Map<string, number>();
  for (const ra of [...a.records].sort((x, y) => x.seq - y.seq)) {
    const rb = byKey.get(key(ra));
    if (!rb) {
      out.onlyInA++;
      continue;
    }
    seen.add(key(ra));
    if (desc(ra) !== desc(rb)) {
      out.structure ??= { seq: ra.seq, st: ra.st, k: ra.k, a: desc(ra), b: desc(rb) };
      out.agree = false;
      break;
    }
    out.compared++;
    if (ra.hash === rb.hash) continue;
    out.agree = false;
    const inputsAgree = ra.in.map((h, i) => h === rb.in[i]);
    if (!out.root) {
      const root: RootCause = {
        kind: inputsAgree.every(Boolean) ? 'op' : 'input', seq: ra.seq, step: ra.step, st: ra.st, k: ra.k, op: ra.op,
        scope: ra.scope, phase: ra.phase, shape: ra.shape, dtype: ra.dtype, inputsAgree, a: stats(ra), b: stats(rb),
      };
      if (ra.of !== undefined) root.of = ra.of;
      const va = recordValues(ra);
      const vb = recordValues(rb);
      if (va && vb) root.elements = compareElements(va, vb, ra.shape);
      out.root = root;
      continue;
    }
    const c = out.contaminated;
    c.ops++;
    if (inputsAgree.every(Boolean)) c.independent++;
    c.lastSeq = ra.seq;
    steps.add(ra.step);
    scopes.set(ra.scope, (scopes.get(ra.scope) ?? 0) + 1);
  }
  out.onlyInB = out.structure ? 0 : b.records.filter((r) => !seen.has(key(r))).length;
  out.contaminated.steps = [...steps].sort((x, y) => x - y);
  out.contaminated.scopes = [...scopes.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5);
  return out;
}

const num = (v: number | null): string => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(9));
const where = (r: { step: number; st: string; scope: string; phase: string; op: string; of?: string }): string =>
  `${r.step ? `step ${r.step}` : 'outside training steps'}, ${r.scope || '(top level)'}, ${r.phase}${r.of ? ` of ${r.of}` : ''}`;

/** A human-readable report of a {@link TraceDiff}. */
export function formatTraceDiff(d: TraceDiff): string {
  const lines: string[] = [];
  if (d.agree) {
    lines.push(`The runs agree op for op: ${d.compared} ops compared, every output bit identical.`);
  } else if (d.root) {
    const r = d.root;
    lines.push(`First divergence: op #${r.seq} '${r.op}' (${where(r)}), output ${r.dtype}[${r.shape.join(', ')}]`);
    if (r.kind === 'op') lines.push(`  root cause: all ${r.inputsAgree.length} inputs are identical in both runs, the output differs`);
    else lines.push(`  its input(s) ${r.inputsAgree.flatMap((ok, i) => (ok ? [] : [i])).join(', ')} differ and were not produced by a traced op: the runs were fed different data (or an untraced op differs)`);
    const e = r.elements;
    if (e) {
      lines.push(`  ${e.differing} of ${e.size} elements differ; largest difference ${e.maxUlps} ulp${e.maxUlps === 1 ? '' : 's'}`);
      lines.push(`  first at index ${e.firstIndex} [${e.firstIndexNd.join(', ')}]: ${num(e.a)}${e.aBits ? ` (0x${e.aBits})` : ''} vs ${num(e.b)}${e.bBits ? ` (0x${e.bBits})` : ''}`);
    } else {
      lines.push(`  run A: hash ${r.a.hash} min ${num(r.a.min)} max ${num(r.a.max)} mean ${num(r.a.mean)} NaN ${r.a.nan} Inf ${r.a.inf} subnormal ${r.a.sub}`);
      lines.push(`  run B: hash ${r.b.hash} min ${num(r.b.min)} max ${num(r.b.max)} mean ${num(r.b.mean)} NaN ${r.b.nan} Inf ${r.b.inf} subnormal ${r.b.sub}`);
      lines.push(`  (trace with values: true, or DITTO_TRACE_VALUES=1, for the differing elements, their index and ulps)`);
    }
    const c = d.contaminated;
    if (c.ops === 0) lines.push('  no later traced op differs');
    else {
      lines.push(`  then contaminated ${c.ops} later ops in step(s) ${c.steps.join(', ')}: ${c.scopes.map(([s, n]) => `${s || '(top level)'} ${n}`).join(', ')}`);
      if (c.independent) lines.push(`  ${c.independent} of them have identical inputs in both runs (further independent differences)`);
    }
  }
  if (d.structure) {
    const s = d.structure;
    lines.push(`The runs executed different ops from op #${s.seq} (${s.st}, position ${s.k}): ${s.a} vs ${s.b}; ops after it are not compared`);
  }
  if (d.onlyInA || d.onlyInB) lines.push(`  (${d.onlyInA} ops only in run A, ${d.onlyInB} only in run B, not compared: side streams one backend runs, such as WebGPU's deferred label checks, or ops outside steps)`);
  return lines.join('\n');
}
