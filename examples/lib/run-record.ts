/**
 * The examples' run record: history.json in --out holds the first run's History, weights digest,
 * options and backend; every later run is compared with it bit for bit (as the Keras example
 * compares its saved History), and the verdict is printed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as dt from '../../src/index.ts';
import { compareHistories } from './history-compare.ts';
import type { ExampleOptions } from './options.ts';

/** What `ditto report` shows of a run besides its History (written to run.json): the adapter or CPU kernels, the threads, the model summary. */
export interface RunFacts {
  /** dt.getBackendInfo().description. */
  backendDescription?: string;
  /** CPU threads (dt.config.getNumThreads()). */
  threads?: number;
  /** model.summary() text. */
  summary?: string;
}

/** Saves the run's record to <out>/history.json, or compares with the one already there. */
export function saveOrCompareRun(opts: ExampleOptions, history: dt.History, digest: string, backend: string, log: (s?: string) => void, facts: RunFacts = {}): void {
  mkdirSync(opts.out, { recursive: true });
  const path = join(opts.out, 'history.json');
  const record = { ...history.toJSON(), weightsDigest: digest, options: opts.recorded, backend };
  if (existsSync(path)) {
    const previous = JSON.parse(readFileSync(path, 'utf8'));
    log(`Comparing with the saved run in ${path}:`);
    log(compareHistories(previous, record));
  } else {
    writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
    // The run's environment (adapter, threads) and model summary, for `npx ditto report`: beside history.json, which
    // stays byte-identical across thread counts and backends.
    writeFileSync(join(opts.out, 'run.json'), JSON.stringify(facts, null, 2) + '\n');
    log(`Saved this run's history to ${path}; run again to compare.`);
  }
}
