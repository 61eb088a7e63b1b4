/**
 * The examples' --checkpoint-every / --resume handling: fit's checkpoint options, and the newest
 * valid checkpoint to resume from (or a fresh start, saying which). Exits with a message when the
 * checkpoint directory is unusable, before any training work.
 */
import * as dt from '../../src/index.ts';
import type { ExampleOptions } from './options.ts';

/** fit's checkpoint options and the checkpoint to resume from, per --checkpoint-every / --resume. */
export function checkpointing(program: string, opts: ExampleOptions, log: (s?: string) => void): Pick<dt.FitOptions, 'checkpoint' | 'resumeFrom'> {
  if (!opts.resume && !opts.checkpointEvery) return {};
  const dir = opts.checkpointDir;
  const checkpoint = { dir, everySteps: opts.checkpointEvery || undefined, everyEpoch: true };
  if (!opts.resume) {
    if (dt.checkpoint.listCheckpoints(dir).length > 0) {
      process.stderr.write(`${program}: ${dir} already holds checkpoints; add --resume to continue from them, or remove the directory to start over\n`);
      process.exit(2);
    }
    log(`Checkpoints: every ${opts.checkpointEvery} steps and every epoch, in ${dir}`);
    return { checkpoint };
  }
  let found: ReturnType<typeof dt.checkpoint.findLatestCheckpoint>;
  try {
    found = dt.checkpoint.findLatestCheckpoint(dir);
  } catch (e) {
    process.stderr.write(`${program}: --resume: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (!found) {
    log(`--resume: no checkpoint in ${dir}; starting fresh (checkpoints every ${opts.checkpointEvery ? `${opts.checkpointEvery} steps and every ` : ''}epoch)`);
    return { checkpoint };
  }
  for (const s of found.skipped) log(`--resume: skipped invalid checkpoint ${s.name}: ${s.reason}`);
  const p = found.checkpoint.state.position;
  const where = p.step > 0 ? `epoch ${p.epoch + 1}/${opts.epochs}, after step ${p.step}` : p.epoch < opts.epochs ? `the start of epoch ${p.epoch + 1}/${opts.epochs}` : 'the end of training';
  log(`--resume: continuing from ${found.checkpoint.path} (${where}; global step ${p.globalStep})`);
  return { checkpoint, resumeFrom: found };
}
