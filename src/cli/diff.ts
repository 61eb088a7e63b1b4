/**
 * `ditto diff <a> <b> [--json]`: what the two files are decides the comparison: two op traces (`dt.debug.trace`,
 * JSON lines, optionally gzip), two history.json files, or two weight files (safetensors files or checkpoints).
 * Exit status 0 when they agree, 1 when they differ, 2 for a usage or format error.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DataFormatError, debug } from '../core/internal.ts';
import { diffHistories, formatHistoryDiff, readHistoryFile } from './history-diff.ts';
import { diffWeights, formatWeightsDiff, readWeights } from './weights-diff.ts';

/** What a file holds, from its first bytes. */
export type FileKind = 'trace' | 'history' | 'weights';

/** Tells a trace, a history.json and a weights file (or checkpoint directory) apart. */
export function fileKind(path: string): FileKind {
  const st = statSync(path);
  if (st.isDirectory()) return 'weights';
  if (st.size === 0) throw new DataFormatError(`ditto diff: ${path} is empty (a trace still being written, or a program that exited without dt.shutdown()?)`);
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4096);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  // ditto writes gzip only for traces (a path ending in .gz).
  if (head[0] === 0x1f && head[1] === 0x8b) return 'trace';
  const s = head.toString('utf8', 0, n);
  if (s.startsWith('{"dittoTrace"')) return 'trace';
  if (s.trimStart().startsWith('{')) return 'history';
  return 'weights';
}

/** Runs `ditto diff`; returns the exit status. */
export function runDiff(args: string[], print: (s: string) => void): number {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (files.length !== 2) {
    print('usage: ditto diff <a> <b> [--json]   (two traces, two history.json files, or two weight files/checkpoints)');
    return 2;
  }
  const [a, b] = files;
  const [ka, kb] = [fileKind(a), fileKind(b)];
  if (ka !== kb) {
    print(`ditto diff: ${a} is a ${ka} file and ${b} a ${kb} file; compare files of one kind`);
    return 2;
  }
  let agree: boolean;
  let result: unknown;
  let text: string;
  if (ka === 'trace') {
    const d = debug.diffTraces(debug.readTrace(a), debug.readTrace(b));
    [agree, result, text] = [d.agree, d, debug.formatTraceDiff(d)];
  } else if (ka === 'history') {
    const d = diffHistories(readHistoryFile(a), readHistoryFile(b));
    [agree, result, text] = [d.agree, d, formatHistoryDiff(d)];
  } else {
    const d = diffWeights(readWeights(a), readWeights(b));
    [agree, result, text] = [d.agree, d, formatWeightsDiff(d)];
  }
  print(json ? JSON.stringify({ kind: ka, a, b, ...(result as object) }, null, 2) : text);
  return agree ? 0 : 1;
}
