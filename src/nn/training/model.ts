/**
 * The model as the training functions see it; Sequential implements it. It joins what the
 * callbacks (CallbackModel) and the checkpoints (CheckpointedModel) see with calling the model
 * and its compiled configuration, so that the training code never imports Sequential.
 * Part of src/nn: imports src/core only.
 */
import type { Tensor } from '../../core/internal.ts';
import type { Structure } from '../symbolic.ts';
import type { CallbackModel } from '../callbacks.ts';
import type { CheckpointedModel } from '../checkpoint/training-run.ts';
import type { CallContext } from '../layer.ts';
import type { Compiled } from './compile.ts';

export interface TrainableModel extends CallbackModel, CheckpointedModel {
  /** compile() state. */
  compiled?: Compiled;
  /** Runs the model on a batch (`{ training: true }` for training behaviour): x and the result may be structures. */
  call(x: Structure<Tensor>, ctx?: CallContext): Structure<Tensor>;
  /** The names of the outputs, in output order (models with several outputs). */
  readonly outputNames?: readonly string[];
}
