/**
 * The resume half of fit (`resumeFrom`): opening the checkpoint, checking it against the run
 * before anything changes (all or nothing, checkpoint/restore.ts), learning the epoch length from
 * it for data without cardinality(), and applying it: weights, optimizer, trackers, random state
 * and History, then, after onTrainBegin, the callbacks' states. Without resumeFrom the run starts
 * at `initialEpoch`.
 * Part of src/nn: imports src/core only.
 */
import { type OpenedResume, openResume } from '../checkpoint/checkpointer.ts';
import { prepareResume } from '../checkpoint/restore.ts';
import type { TrainingRun } from '../checkpoint/training-run.ts';
import type { FitOptions } from './options.ts';

/** Where the training loop starts. */
export interface FitStart {
  epoch: number;
  /** The batch of `epoch` to start at (> 0: the epoch began before the checkpoint). */
  step: number;
  /** Optimizer steps taken so far in this fit (counted across resumes). */
  globalStep: number;
  /** Restores the callbacks' states; call after onTrainBegin (which resets them). */
  applyCallbackStates(): void;
}

/** A checked resume, ready to apply. */
export interface PreparedResume {
  opened: OpenedResume;
  apply(): FitStart;
}

/** Opens `o.resumeFrom`, if given (the newest valid checkpoint of a root, or the given one). */
export function openFitResume(o: FitOptions): OpenedResume | undefined {
  return o.resumeFrom !== undefined ? openResume(o.resumeFrom) : undefined;
}

/**
 * Checks the opened checkpoint against `run` (throwing a DataFormatError on the first mismatch)
 * and, for data that does not know its length, takes the epoch length the interrupted run learnt.
 */
export function prepareFitResume(run: TrainingRun, opened: OpenedResume): PreparedResume {
  const applyResume = prepareResume(run, opened.checkpoint);
  if (run.stepsPerEpoch === null && opened.checkpoint.state.fit.stepsPerEpoch !== null) {
    // A source without cardinality(): the interrupted run had learnt the epoch length already.
    run.stepsPerEpoch = run.history.params.steps = opened.checkpoint.state.fit.stepsPerEpoch;
  }
  return {
    opened,
    apply: () => {
      // Everything was checked by prepareResume; this assigns the model, optimizer, trackers and RNGs.
      const resumed = applyResume();
      run.history.history = resumed.history.history;
      run.history.epoch = resumed.history.epoch;
      run.history.steps = resumed.history.steps;
      return { epoch: resumed.epoch, step: resumed.step, globalStep: resumed.globalStep, applyCallbackStates: resumed.applyCallbackStates };
    },
  };
}

/** The start of a fit that does not resume. */
export function freshStart(initialEpoch: number): FitStart {
  return { epoch: initialEpoch, step: 0, globalStep: 0, applyCallbackStates: () => {} };
}
