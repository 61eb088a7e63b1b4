/**
 * Command-line options shared by the examples (examples/reproducibility.ts, examples/resnet.ts).
 * With no options an example runs its full reference configuration (for reproducibility.ts: 2 epochs
 * over all 60,000 training images, validation on all 10,000 test images, seed 812).
 * Checkpoints (exact resume) are written with --checkpoint-every N (every N steps and every epoch)
 * or --resume (at least every epoch) into --checkpoint-dir (default <out>/checkpoints).
 * A program may take one positional argument (examples/from-keras.ts: the Keras file) and a --save path; the
 * others refuse both as unknown options.
 */
import { join } from 'node:path';

export interface ExampleOptions {
  epochs: number;
  trainSize: number;
  testSize: number;
  backend?: 'cpu' | 'webgpu';
  seed: number;
  out: string;
  quiet: boolean;
  /** CPU backend threads (results do not depend on it). */
  threads?: number;
  /** Continue from the newest valid checkpoint in checkpointDir, if any. */
  resume: boolean;
  /** Where checkpoints go (default <out>/checkpoints). */
  checkpointDir: string;
  /** Save a checkpoint every N optimizer steps (0: only at epoch ends, and only with --resume). */
  checkpointEvery: number;
  /** The positional argument, for a program that takes one (ExampleProgram.positional). */
  positional?: string;
  /** --save PATH, for a program that takes it (ExampleProgram.savePath). */
  save?: string;
  /** The options that determine the results (recorded in history.json). */
  recorded: { epochs: number; trainSize: number; testSize: number; seed: number };
}

/** Which example parses its options: its name (in messages), its npm command and its defaults. */
export interface ExampleProgram {
  /** Prefix of error messages, e.g. 'reproducibility'. */
  name: string;
  /** How users start it, for the usage line, e.g. 'npm start --'. */
  command: string;
  /** Defaults that differ from the reference run's (2 epochs, 60000/10000 images, seed 812, out '.'). */
  defaults?: Partial<Pick<ExampleOptions, 'epochs' | 'trainSize' | 'testSize' | 'seed' | 'out'>>;
  /** The label of a required positional argument in the usage line, e.g. '<file.keras|file.h5>' (none: refused). */
  positional?: string;
  /** Whether --save PATH is accepted, and its default's description for the usage line, e.g. '<out>/model.keras'. */
  savePath?: string;
}

const REPRODUCIBILITY: ExampleProgram = { name: 'reproducibility', command: 'npm start --' };

export function parseOptions(argv: readonly string[], program: ExampleProgram = REPRODUCIBILITY): ExampleOptions {
  const head = `${program.command}${program.positional ? ` ${program.positional}` : ''}`;
  const usage = `usage: ${head} [--epochs N] [--train-size N] [--test-size N] [--backend cpu|webgpu] [--seed N] [--out DIR] [--threads N] [--quiet]\n`
    + `${' '.repeat(head.length + 7)} [--checkpoint-every N] [--checkpoint-dir DIR] [--resume]${program.savePath ? ` [--save PATH (default ${program.savePath})]` : ''}`;
  function fail(msg: string): never {
    process.stderr.write(`${program.name}: ${msg}\n${usage}\n`);
    process.exit(2);
  }
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) fail(`expected ${name} to be an integer >= ${min}. Received: ${v}`);
    return n;
  };
  const o: Omit<ExampleOptions, 'recorded' | 'checkpointDir'> & { checkpointDir?: string } = {
    epochs: 2, trainSize: 60000, testSize: 10000, seed: 812, out: '.', ...program.defaults, quiet: false, resume: false, checkpointEvery: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--epochs': o.epochs = int(flag, value(), 1); break;
      case '--train-size': o.trainSize = int(flag, value(), 1); break;
      case '--test-size': o.testSize = int(flag, value(), 1); break;
      case '--seed': o.seed = int(flag, value(), 0); break;
      case '--out': o.out = value() ?? fail('--out needs a directory'); break;
      case '--quiet': o.quiet = true; break;
      case '--threads': o.threads = int(flag, value(), 1); break;
      case '--resume': o.resume = true; break;
      case '--checkpoint-dir': o.checkpointDir = value() ?? fail('--checkpoint-dir needs a directory'); break;
      case '--checkpoint-every': o.checkpointEvery = int(flag, value(), 1); break;
      case '--backend': {
        const b = value();
        if (b !== 'cpu' && b !== 'webgpu') fail(`expected --backend cpu or webgpu. Received: ${b}`);
        o.backend = b;
        break;
      }
      case '--save':
        if (!program.savePath) fail(`unknown option ${argv[i]}`);
        o.save = value() ?? fail('--save needs a path');
        break;
      case '--help': case '-h': process.stdout.write(usage + '\n'); process.exit(0); break;
      default:
        if (program.positional && o.positional === undefined && !argv[i].startsWith('-')) o.positional = argv[i];
        else fail(`unknown option ${argv[i]}`);
    }
  }
  if (program.positional && o.positional === undefined) fail(`expected ${program.positional}`);
  return {
    ...o,
    checkpointDir: o.checkpointDir ?? join(o.out, 'checkpoints'),
    recorded: { epochs: o.epochs, trainSize: o.trainSize, testSize: o.testSize, seed: o.seed },
  };
}
