/**
 * The runs a report shows: each argument is a run directory holding a history.json (what the examples write to
 * `--out`) or a history.json itself. A run's record is a History's JSON plus, where the program saved them (in the
 * history.json or in a run.json beside it), its determinism facts: seed and options, backend and adapter, CPU
 * threads, weights digest, and the model summary.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataFormatError } from '../../core/internal.ts';
import { type HistoryFile, readHistoryFile } from '../history-diff.ts';

/** A history.json as the examples write it. */
export interface RunRecord extends HistoryFile {
  /** The History's epochs. */
  epoch?: number[];
  /** The backend's description (CPU kernels and threads, or the GPU adapter). */
  backendDescription?: string;
  /** CPU threads. */
  threads?: number;
  /** The model summary text. */
  summary?: string;
}

/** One run of a report. */
export interface Run {
  /** A short unique label (the directory's name). */
  label: string;
  /** The history.json read. */
  path: string;
  /** Its record. */
  record: RunRecord;
}

/** Loads the runs named by `args` (directories with a history.json, or history.json files). */
export function loadRuns(args: readonly string[]): Run[] {
  const used = new Set<string>();
  return args.map((arg) => {
    const path = existsSync(arg) && statSync(arg).isDirectory() ? join(arg, 'history.json') : arg;
    if (!existsSync(path)) throw new DataFormatError(`ditto report: ${arg}: expected a run directory with a history.json or a history.json file. Received: no ${path}`);
    let label = basename(resolve(path)) === 'history.json' ? basename(dirname(resolve(path))) : basename(path).replace(/\.json$/, '');
    for (let i = 2; used.has(label); i++) label = `${label} (${i})`;
    used.add(label);
    // run.json beside it (what the examples write): the run's environment and model summary.
    const factsPath = join(dirname(path), 'run.json');
    const facts = existsSync(factsPath) ? (JSON.parse(readFileSync(factsPath, 'utf8')) as Partial<RunRecord>) : {};
    return { label, path, record: { ...facts, ...readHistoryFile(path) } as RunRecord };
  });
}
