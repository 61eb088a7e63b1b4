/**
 * History (Keras): `history` maps each log key to its per-epoch values, `epoch` lists epoch
 * indices, `params` holds {verbose, epochs, steps}. `toJSON()` adds each value's float32 bit
 * pattern in hex, so bit-identity of two runs can be checked from the JSON alone.
 * Part of src/nn: imports nothing outside src/nn.
 */
export interface HistoryParams {
  verbose: number;
  epochs: number;
  steps: number | null;
}

export interface HistoryJSON {
  history: Record<string, number[]>;
  epoch: number[];
  params: HistoryParams;
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

export class History {
  history: Record<string, number[]> = {};
  epoch: number[] = [];
  params: HistoryParams = { verbose: 1, epochs: 1, steps: null };

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  toJSON(): HistoryJSON {
    const keys = Object.keys(this.history).sort();
    const history: Record<string, number[]> = {};
    const bits: Record<string, string[]> = {};
    for (const k of keys) {
      history[k] = this.history[k];
      bits[k] = this.history[k].map(f32Hex);
    }
    return { history, epoch: this.epoch, params: this.params, bits };
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
    return h;
  }
}
