/**
 * Fault injection for the resume tests (test hook, documented here and nowhere else read):
 * `DITTO_TEST_CRASH=<phase>:<global step>` makes the checkpoint writer SIGKILL its own process at
 * that point of writing the checkpoint of that step. Phases:
 * - `checkpoint-write`: inside the temporary directory, after tensors.safetensors and the first
 *   half of state.json, before the manifest and the rename (a torn, never-published checkpoint);
 * - `checkpoint-commit`: after the rename and the root fsync, before verification and before older
 *   checkpoints are deleted.
 * Nothing else in src reads this variable, and it never influences what is written.
 * Part of src/nn: imports nothing outside Node.
 */

/** The phases at which a crash can be injected. */
export type CrashPhase = 'checkpoint-write' | 'checkpoint-commit';

/** Whether DITTO_TEST_CRASH names `phase` and `globalStep`. */
export function crashArmed(phase: CrashPhase, globalStep: number): boolean {
  return process.env.DITTO_TEST_CRASH === `${phase}:${globalStep}`;
}

/** SIGKILLs this process when DITTO_TEST_CRASH names `phase` and `globalStep`. */
export function crashPoint(phase: CrashPhase, globalStep: number): void {
  if (crashArmed(phase, globalStep)) process.kill(process.pid, 'SIGKILL');
}
