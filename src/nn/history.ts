/**
 * History (Keras): `history` maps each log key to its per-epoch values, `epoch` lists epoch
 * indices, `params` holds {verbose, epochs, steps}. `toJSON()` adds each value's float32 bit
 * pattern in hex, so bit-identity of two runs can be checked from the JSON alone; `steps` holds the running logs
 * after every optimizer step (fit's per-step series).
 * Part of src/nn: imports nothing outside src/nn.
 */
/**
 * `fit`'s parameters, as Keras records them in `history.params`.
 * @inline
 */
export interface HistoryParams {
  /** The verbosity fit ran with (0, 1 or 2). */
  verbose: number;
  /** The number of epochs asked for. */
  epochs: number;
  /** Batches per epoch (null while unknown). */
  steps: number | null;
}

/**
 * The JSON form of a {@link History} ({@link History.toJSON | toJSON}, e.g. `JSON.stringify(history)`): the values
 * and, for each, its float32 bit pattern, so two runs can be compared bit for bit from their JSON files alone.
 */
export interface HistoryJSON {
  /** Log key -> one value per epoch, keys sorted. */
  history: Record<string, number[]>;
  /** The epoch indices recorded. */
  epoch: number[];
  /** fit's parameters. */
  params: HistoryParams;
  /** key -> float32 bits of each value, 8 hex digits. */
  bits: Record<string, string[]>;
  /** The per-step series ({@link History.steps}), when fit recorded any. */
  steps?: HistorySteps;
}

/**
 * The running logs after every optimizer step of fit ({@link History.steps}): `step[i]` is the global step number
 * (from 1) after which `history[key][i]` was the running value; `bits` holds each value's float32 bits.
 * @inline
 */
export interface HistorySteps {
  /** Global optimizer step numbers, from 1. */
  step: number[];
  /** Log key -> the running value (Keras's running mean over the epoch so far) after each of those steps. */
  history: Record<string, number[]>;
  /** key -> float32 bits of each value, 8 hex digits. */
  bits: Record<string, string[]>;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 bit pattern of v (v must be a float32 value) as 8 hex digits. */
export function f32Hex(v: number): string {
  f32[0] = v;
  return u32[0].toString(16).padStart(8, '0');
}

/**
 * What `fit` returns, Keras `History`: {@link History.history | history} maps each log key ('loss', metrics,
 * 'val_*') to its per-epoch values, exactly the values the progress bar printed; {@link History.epoch | epoch} lists
 * the epoch indices; {@link History.params | params} holds { verbose, epochs, steps }. `JSON.stringify(history)` adds
 * each value's float32 bits in hex ({@link HistoryJSON}), so bit-identity of two runs can be checked from the JSON.
 *
 * @example
 * ```ts
 * const history = await model.fit(train, { epochs: 2, validationData: test });
 * history.history.val_accuracy; // [0.95..., 0.96...]
 * fs.writeFileSync('history.json', JSON.stringify(history, null, 2));
 * ```
 */
export class History {
  /** Log key -> one value per epoch (float32 values as numbers). */
  history: Record<string, number[]> = {};
  /** The epoch indices recorded, from 0. */
  epoch: number[] = [];
  /** fit's parameters: { verbose, epochs, steps }. */
  params: HistoryParams = { verbose: 1, epochs: 1, steps: null };

  /**
   * The per-step series: the running logs (loss and metrics, Keras's running mean over the epoch so far) after every
   * optimizer step of fit, with the global step numbers; the same on every backend.
   */
  steps: {
    /** Global optimizer step numbers, from 1. */
    step: number[];
    /** Log key -> the running value after each of those steps. */
    history: Record<string, number[]>;
  } = { step: [], history: {} };

  /** Appends the running logs after global step `step` (from 1) to {@link History.steps}. */
  recordStep(step: number, logs: Record<string, number>): void {
    this.steps.step.push(step);
    for (const [k, v] of Object.entries(logs)) (this.steps.history[k] ??= []).push(v);
  }

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /** The JSON form, keys sorted, with every value's float32 bits (what `JSON.stringify(history)` writes). */
  toJSON(): HistoryJSON {
    const keys = Object.keys(this.history).sort();
    const history: Record<string, number[]> = {};
    const bits: Record<string, string[]> = {};
    for (const k of keys) {
      history[k] = this.history[k];
      bits[k] = this.history[k].map(f32Hex);
    }
    const json: HistoryJSON = { history, epoch: this.epoch, params: this.params, bits };
    if (this.steps.step.length) {
      const sk = Object.keys(this.steps.history).sort();
      json.steps = {
        step: this.steps.step,
        history: Object.fromEntries(sk.map((k) => [k, this.steps.history[k]])),
        bits: Object.fromEntries(sk.map((k) => [k, this.steps.history[k].map(f32Hex)])),
      };
    }
    return json;
  }

  /** A History from its JSON form (values are restored from the exact bits). */
  static fromJSON(j: HistoryJSON): History {
    const h = new History();
    h.epoch = [...j.epoch];
    h.params = { ...j.params };
    for (const [k, hex] of Object.entries(j.bits)) {
      h.history[k] = hex.map((x) => {
        u32[0] = parseInt(x, 16);
        return f32[0];
      });
    }
    if (j.steps) {
      h.steps.step = [...j.steps.step];
      for (const [k, hex] of Object.entries(j.steps.bits)) {
        h.steps.history[k] = hex.map((x) => {
          u32[0] = parseInt(x, 16);
          return f32[0];
        });
      }
    }
    return h;
  }
}
