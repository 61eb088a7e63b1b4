/**
 * The `ditto` command line (the package's `bin`): `ditto diff` compares two traces, histories or weight files and
 * names where they first differ; `ditto report` writes an HTML run report. Exit status: 0 agree/ok, 1 differ,
 * 2 usage or input error.
 * Part of src/cli: imports src/core and src/nn only.
 */
import { TensorEngineError } from '../core/internal.ts';
import { runDiff } from './diff.ts';
import { runReport } from './report/report.ts';

const USAGE = `usage: ditto <command> ...
  ditto diff <a> <b> [--json]     first difference of two op traces (dt.debug.trace, DITTO_TRACE),
                                  two history.json files, or two weight files (safetensors, checkpoints)
  ditto report <run-dir or history.json ...> [--out report.html] [--diff trace-diff.json]
                                  an HTML page with the runs' curves, divergence and determinism facts
See docs/divergence.md.`;

/** Runs the command line `args` (without node and the script); resolves to the exit status. */
export async function runCli(args: readonly string[], print: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const [cmd, ...rest] = args;
  try {
    if (cmd === 'diff') return runDiff(rest, print);
    if (cmd === 'report') return await runReport(rest, print);
    print(USAGE);
    return cmd === undefined || cmd === '--help' || cmd === '-h' ? 0 : 2;
  } catch (e) {
    if (e instanceof TensorEngineError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      print(`ditto ${cmd}: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}
