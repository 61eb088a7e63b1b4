/**
 * Comparing two history.json files (a History's JSON, as the examples write it, possibly with the run's weights
 * digest, options and backend) by float32 bits: the first differing per-epoch value, the first differing per-step
 * value (fit's per-step series), and the weights digests.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { readFileSync } from 'node:fs';
import { DataFormatError, debug } from '../core/internal.ts';

/** The parts of a history.json that are compared. */
export interface HistoryFile {
  /** Per-epoch values. */
  history: Record<string, number[]>;
  /** Per-epoch float32 bits. */
  bits: Record<string, string[]>;
  /** The per-step series, when fit recorded one. */
  steps?: { step: number[]; history: Record<string, number[]>; bits: Record<string, string[]> };
  /** The final weights digest (the examples record it). */
  weightsDigest?: string;
  /** The options of the run (the examples record them). */
  options?: Record<string, unknown>;
  /** The backend (the examples record it). */
  backend?: string;
}

/** A first difference between two series. */
export interface SeriesDifference {
  /** The log key, e.g. 'loss'. */
  key: string;
  /** 'epoch' or 'step'. */
  axis: 'epoch' | 'step';
  /** The epoch index (from 0) or the global step (from 1). */
  at: number;
  /** Run A's value (null where absent). */
  a: number | null;
  /** Run B's value. */
  b: number | null;
  /** Run A's bits. */
  aBits: string | null;
  /** Run B's bits. */
  bBits: string | null;
  /** Distance in float32 ulps (null where a value is absent). */
  ulps: number | null;
}

/** What {@link diffHistories} finds. */
export interface HistoryDiff {
  /** Whether every compared value has the same bits and the digests agree. */
  agree: boolean;
  /** The first differing per-epoch value (smallest epoch, keys in order). */
  epoch?: SeriesDifference;
  /** The first differing per-step value (smallest step present in both runs). */
  step?: SeriesDifference;
  /** Keys present in only one run. */
  onlyIn: { a: string[]; b: string[] };
  /** The weights digests, when both runs recorded one. */
  digest?: { a: string; b: string; same: boolean };
  /** A note when the runs recorded different options. */
  optionsDiffer: boolean;
}

/** Reads a history.json. @throws {@link DataFormatError} for a file that is not one. */
export function readHistoryFile(path: string): HistoryFile {
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFormatError(`ditto: ${path}: expected a history.json (JSON). Received: ${(e as Error).message}`);
  }
  const h = j as HistoryFile;
  if (!h || typeof h !== 'object' || typeof h.bits !== 'object' || typeof h.history !== 'object') {
    throw new DataFormatError(`ditto: ${path}: expected a History's JSON (with "history" and "bits"). Received: keys ${Object.keys(h ?? {}).join(', ')}`);
  }
  return h;
}

const toBits = (hex: string): number => parseInt(hex, 16);

function difference(key: string, axis: 'epoch' | 'step', at: number, a: number | undefined, b: number | undefined, ab?: string, bb?: string): SeriesDifference {
  return {
    key, axis, at, a: a ?? null, b: b ?? null, aBits: ab ?? null, bBits: bb ?? null,
    ulps: ab !== undefined && bb !== undefined ? debug.ulpDistance(toBits(ab), toBits(bb)) : null,
  };
}

/** Compares two histories by bits. */
export function diffHistories(a: HistoryFile, b: HistoryFile): HistoryDiff {
  const ka = Object.keys(a.bits).sort();
  const kb = Object.keys(b.bits).sort();
  const out: HistoryDiff = { agree: true, onlyIn: { a: ka.filter((k) => !kb.includes(k)), b: kb.filter((k) => !ka.includes(k)) }, optionsDiffer: JSON.stringify(a.options ?? {}) !== JSON.stringify(b.options ?? {}) };
  if (out.onlyIn.a.length || out.onlyIn.b.length) out.agree = false;
  const common = ka.filter((k) => kb.includes(k));
  const epochs = Math.max(0, ...common.map((k) => Math.max(a.bits[k].length, b.bits[k].length)));
  for (let e = 0; e < epochs && !out.epoch; e++) {
    for (const k of common) {
      if (a.bits[k][e] !== b.bits[k][e]) {
        out.epoch = difference(k, 'epoch', e, a.history[k]?.[e], b.history[k]?.[e], a.bits[k][e], b.bits[k][e]);
        break;
      }
    }
  }
  if (a.steps && b.steps) {
    const ib = new Map(b.steps.step.map((s, i) => [s, i]));
    const sk = Object.keys(a.steps.bits).filter((k) => b.steps!.bits[k]).sort();
    for (let i = 0; i < a.steps.step.length && !out.step; i++) {
      const j = ib.get(a.steps.step[i]);
      if (j === undefined) continue;
      for (const k of sk) {
        const [x, y] = [a.steps.bits[k][i], b.steps.bits[k][j]];
        if (x !== y) {
          out.step = difference(k, 'step', a.steps.step[i], a.steps.history[k][i], b.steps.history[k][j], x, y);
          break;
        }
      }
    }
  }
  if (a.weightsDigest !== undefined && b.weightsDigest !== undefined) {
    out.digest = { a: a.weightsDigest, b: b.weightsDigest, same: a.weightsDigest === b.weightsDigest };
    if (!out.digest.same) out.agree = false;
  }
  if (out.epoch || out.step) out.agree = false;
  return out;
}

const show = (d: SeriesDifference): string =>
  `${d.key} at ${d.axis} ${d.at}: ${d.a ?? 'absent'}${d.aBits ? ` (0x${d.aBits})` : ''} vs ${d.b ?? 'absent'}${d.bBits ? ` (0x${d.bBits})` : ''}${d.ulps !== null ? `, ${d.ulps} ulps apart` : ''}`;

/** A human-readable report of a {@link HistoryDiff}. */
export function formatHistoryDiff(d: HistoryDiff): string {
  const lines: string[] = [];
  if (d.optionsDiffer) lines.push('note: the runs recorded different options, so differences are expected');
  if (d.onlyIn.a.length || d.onlyIn.b.length) lines.push(`keys only in A: ${d.onlyIn.a.join(', ') || '-'}; only in B: ${d.onlyIn.b.join(', ') || '-'}`);
  if (d.step) lines.push(`first per-step difference: ${show(d.step)}`);
  if (d.epoch) lines.push(`first per-epoch difference: ${show(d.epoch)}`);
  if (d.digest) lines.push(`weights digest: ${d.digest.same ? `identical (${d.digest.a})` : `${d.digest.a} vs ${d.digest.b}`}`);
  lines.push(d.agree ? 'The histories agree bit for bit.' : 'The histories differ.');
  return lines.join('\n');
}
