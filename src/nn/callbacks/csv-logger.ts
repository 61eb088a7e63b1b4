/**
 * CSVLogger (Keras 3 `keras.callbacks.CSVLogger`): one CSV row per epoch, as Python's csv module writes it.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ArgumentError, DataFormatError, checkOptions } from '../../core/internal.ts';
import { Callback, type CallbackState, type Logs } from '../callbacks.ts';
import { pyRepr } from './py-format.ts';

/** Options of {@link CSVLogger} (Keras's keyword arguments, camelCase). */
export interface CSVLoggerOptions {
  /** The field separator (default ','). */
  separator?: string;
  /** Append to an existing file (its header is written only when the file is empty) instead of overwriting it (default false). */
  append?: boolean;
}

/**
 * Streams epoch results to a CSV file, byte for byte as Keras 3 writes it: the file is opened when training begins
 * (truncated, or appended to with `append`); at the first epoch end the columns are fixed as `epoch` then the
 * log keys sorted (Python's sorted: by code point), and the header is written (with `append`, only when the file
 * was empty); every epoch end writes `epoch` (from 0) and each key's value, a Python float repr (the float32
 * value as a double, e.g. `0.6931471824645996`) or `NA` when missing. Python's csv "excel" dialect: fields
 * holding the separator, a quote or a line break are quoted, lines end in `\r\n`. Each row is fsynced.
 * Its state in fit checkpoints holds the text it wrote, so a resumed run rewrites the file to exactly what it was
 * at the checkpoint and continues it.
 */
export class CSVLogger extends Callback {
  /** The CSV file. */
  readonly filename: string;
  /** The field separator. */
  readonly separator: string;
  /** Whether an existing file is appended to. */
  readonly append: boolean;
  private fd: number | undefined;
  private keys: string[] | undefined;
  private appendHeader = true;
  /** File length when this fit opened it, and what this fit wrote since. */
  private startLength = 0;
  private written = '';

  /** @throws {@link ArgumentError} for a bad filename, separator or unknown options. */
  constructor(filename: string, o: CSVLoggerOptions = {}) {
    super();
    if (typeof filename !== 'string' || !filename) throw new ArgumentError(`CSVLogger: expected filename to be a non-empty string. Received: ${JSON.stringify(filename)}`);
    checkOptions('CSVLogger', o, ['separator', 'append']);
    this.filename = filename;
    this.separator = o.separator ?? ',';
    if (typeof this.separator !== 'string' || this.separator.length !== 1) throw new ArgumentError(`CSVLogger: expected separator to be a 1-character string (Python's csv delimiter). Received: ${JSON.stringify(o.separator)}`);
    this.append = o.append ?? false;
    if (typeof this.append !== 'boolean') throw new ArgumentError(`CSVLogger: expected append to be a boolean. Received: ${String(o.append)}`);
  }

  override onTrainBegin(): void {
    this.close();
    this.appendHeader = true;
    this.startLength = 0;
    if (this.append && existsSync(this.filename)) {
      const text = readFileSync(this.filename);
      this.appendHeader = text.length === 0;
      this.startLength = text.length;
    }
    this.fd = openSync(this.filename, this.append ? 'a' : 'w');
    this.keys = undefined;
    this.written = '';
  }

  private field(v: string): string {
    return v.includes(this.separator) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }

  private write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd!, bytes, off, bytes.length - off);
    fsyncSync(this.fd!);
    this.written += text;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.fd === undefined) this.onTrainBegin();
    const line = (cells: string[]): string => `${cells.map((c) => this.field(c)).join(this.separator)}\r\n`;
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      if (this.appendHeader) this.write(line(['epoch', ...this.keys]));
    }
    this.write(line([String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : pyRepr(logs[k])))]));
  }

  override onTrainEnd(): void {
    this.close();
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private configKey(): string {
    return JSON.stringify({ filename: this.filename, separator: this.separator, append: this.append });
  }

  /** The columns, whether a header was due, the file's length at train begin and the text written since. */
  override getState(): CallbackState {
    return { json: { config: this.configKey(), keys: this.keys ?? null, appendHeader: this.appendHeader, startLength: this.startLength, written: this.written }, arrays: [] };
  }

  override checkState(st: CallbackState): void {
    const j = st?.json ?? {};
    const fail = (what: string): never => {
      throw new DataFormatError(`CSVLogger.setState: ${what}`);
    };
    if (j.config !== this.configKey()) fail(`expected the checkpointed configuration ${String(j.config)}. Received: this callback's ${this.configKey()}`);
    if (j.keys !== null && !(Array.isArray(j.keys) && j.keys.every((k) => typeof k === 'string'))) fail(`expected keys to be null or a list of strings. Received: ${JSON.stringify(j.keys)}`);
    if (typeof j.appendHeader !== 'boolean') fail(`expected appendHeader to be a boolean. Received: ${JSON.stringify(j.appendHeader)}`);
    if (!Number.isSafeInteger(j.startLength) || (j.startLength as number) < 0) fail(`expected startLength to be a non-negative integer. Received: ${JSON.stringify(j.startLength)}`);
    if (typeof j.written !== 'string') fail(`expected written to be a string. Received: ${typeof j.written}`);
  }

  /** Rewrites the file as it was at the checkpoint (its first startLength bytes, then the text written), and continues it. */
  override setState(st: CallbackState): void {
    this.checkState(st);
    const j = st.json;
    this.close();
    this.fd = openSync(this.filename, existsSync(this.filename) ? 'r+' : 'w+');
    ftruncateSync(this.fd, j.startLength as number);
    closeSync(this.fd);
    this.fd = openSync(this.filename, 'a');
    this.keys = j.keys === null ? undefined : [...(j.keys as string[])];
    this.appendHeader = j.appendHeader as boolean;
    this.startLength = j.startLength as number;
    this.written = '';
    this.write(j.written as string);
  }
}
