/**
 * The op tracer: while a trace records, `runOp` hands it every executed op (the only cost when no trace records is
 * one null check there). For each op of the chosen steps it writes a {@link TraceRecord}: step, stream, op, scope,
 * phase, the hashes of the inputs, the output's shape, dtype, hash and statistics (and, in values mode, its bytes).
 * The fingerprint is computed by the backend where it offers one (Backend.fingerprint: the CPU, on its worker
 * threads), otherwise on this thread from the output's contents, read back from the device: at once where the
 * backend reads synchronously, otherwise (WebGPU)
 * the op's output buffer is kept alive and its read queued, one read at a time, and the records are written in
 * sequence order as the reads complete. A tensor's hash is remembered per storage, so an input produced by a traced op is not
 * read again; other inputs (uploaded data, ops outside the chosen steps) are read when first used.
 * Part of src/core: imports nothing outside src/core.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { DType, TypedArray } from '../dtype.ts';
import { type Storage, releaseStorage } from '../storage.ts';
import type { Tensor } from '../tensor.ts';
import { type Fingerprint, fingerprint } from './fingerprint.ts';
import { currentPhase, currentScope, currentSideStream } from './scope.ts';
import { TRACE_FORMAT_VERSION, type TraceHeader, type TraceRecord } from './trace-format.ts';

/** What to trace: the normalized options of `dt.debug.trace`. */
export interface TracerOptions {
  /** The file to write (`.gz`: gzip-compressed). */
  path: string;
  /** The training steps to trace (null: every op, inside and outside steps). */
  steps: ReadonlySet<number> | null;
  /** The op names to trace (null: all). */
  ops: ReadonlySet<string> | null;
  /** Whether to store each traced output's bytes. */
  values: boolean;
}

type Hash = string | Promise<string>;
const FLUSH_CHARS = 1 << 20;

/** Writes one trace file. Created and closed by trace.ts. */
export class Tracer {
  private step = 0;
  private inStep = false;
  private seq = 0;
  private readonly counts = new Map<string, number>();
  private readonly hashes = new WeakMap<Storage, Hash>();
  private readonly pending: (string | Promise<string>)[] = [];
  /** The device reads in flight, one at a time (see read()). */
  private reads: Promise<unknown> = Promise.resolve();
  private pumping: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly fd: number;
  private readonly gzip: boolean;
  private buf: string[] = [];
  private bufChars = 0;
  private headerWritten = false;
  /** Bytes written to the file so far. */
  bytes = 0;
  /** Records written so far. */
  records = 0;

  constructor(readonly options: TracerOptions) {
    this.fd = openSync(options.path, 'w');
    this.gzip = options.path.endsWith('.gz');
  }

  /** Runs `fn` as training step `step` (fit's optimizer step, from 1). */
  inTrainingStep<T>(step: number, fn: () => T): T {
    const [s, inside] = [this.step, this.inStep];
    this.step = step;
    this.inStep = true;
    try {
      return fn();
    } finally {
      this.step = s;
      this.inStep = inside;
    }
  }

  /** Called by runOp after op `name` produced `output` from `inputs`. */
  op(name: string, inputs: readonly Tensor[], output: Tensor): void {
    const o = this.options;
    if (o.steps !== null && !(this.inStep && o.steps.has(this.step))) return;
    if (o.ops !== null && !o.ops.has(name)) return;
    if (!this.headerWritten) this.writeHeader(output.storage);
    const sideStream = currentSideStream();
    const st = (this.inStep ? `s${this.step}` : 'out') + (sideStream ? `/${sideStream}` : '');
    const k = this.counts.get(st) ?? 0;
    this.counts.set(st, k + 1);
    const { phase, of } = currentPhase();
    const base = {
      seq: this.seq++, step: this.inStep ? this.step : 0, st, k, op: name, scope: currentScope(), phase,
      ...(phase === 'gradient' ? { of } : {}),
    };
    const ins = inputs.map((t) => this.hashOf(t.storage));
    const storage = output.storage;
    const shape = [...output.shape];
    const data = o.values || !storage.backend.fingerprint ? this.read(storage) : null;
    const fp = this.fingerprintOf(storage, data);
    const finish = (f: Fingerprint, d: TypedArray | null, inHashes: string[]): string => {
      const rec: TraceRecord = { ...base, in: inHashes, shape, dtype: output.dtype, ...f };
      if (d && o.values) rec.v = Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64');
      return JSON.stringify(rec);
    };
    if (!(fp instanceof Promise) && !(data instanceof Promise) && ins.every((h) => typeof h === 'string')) {
      this.hashes.set(storage, fp.hash);
      this.emit(finish(fp, data, ins as string[]));
      return;
    }
    const done = Promise.all([fp, data, Promise.all(ins)]).then(([f, d, inHashes]) => [finish(f, d, inHashes), f.hash] as const);
    const hash = done.then(([, h]) => h);
    hash.catch(() => {});
    this.hashes.set(storage, hash);
    this.emit(done.then(([line]) => line));
  }

  /** Waits for every queued read, writes everything and closes the file. */
  async close(): Promise<void> {
    while (this.pumping) await this.pumping;
    this.closeSync();
    if (this.failure) throw this.failure;
  }

  /** Writes what is complete and closes the file (at process exit: reads still in flight are lost). */
  closeSync(): void {
    if (!this.headerWritten) this.writeHeader(null);
    this.flush();
    closeSync(this.fd);
  }

  private hashOf(s: Storage): Hash {
    const known = this.hashes.get(s);
    if (known !== undefined) return known;
    const f = this.fingerprintOf(s, s.backend.fingerprint ? null : this.read(s));
    const h = f instanceof Promise ? f.then((x) => x.hash) : f.hash;
    if (h instanceof Promise) h.catch(() => {});
    this.hashes.set(s, h);
    return h;
  }

  /**
   * The fingerprint of `s`: computed by the backend where it offers it (the CPU, on its threads), else from `data`
   * (its contents, as read()) on this thread: the same function, so traces agree across backends.
   */
  private fingerprintOf(s: Storage, data: TypedArray | Promise<TypedArray> | null): Fingerprint | Promise<Fingerprint> {
    const b = s.backend;
    if (b.fingerprint) return b.fingerprint(s.handle, s.dtype, s.size);
    if (data === null) data = this.read(s);
    return data instanceof Promise ? data.then((d) => fingerprint(d, s.dtype)) : fingerprint(data, s.dtype);
  }

  /**
   * The contents of `s`: at once where the backend can (the CPU), else a device read queued behind the previous
   * ones. A storage's contents never change after its op wrote it (every op writes a new buffer; `assign` swaps a
   * variable's storage), so holding a reference until the read keeps exactly that op's output; reading one buffer
   * at a time keeps the trace from flooding the device queue with concurrent readbacks.
   */
  private read(s: Storage): TypedArray | Promise<TypedArray> {
    const b = s.backend;
    if (b.peekSync) return b.peekSync(s.handle, s.dtype, s.size);
    if (b.readSync) return b.readSync(s.handle, s.dtype as DType, s.size);
    s.refs++;
    const data = this.reads.then(() => b.read(s.handle, s.dtype, s.size)).finally(() => releaseStorage(s));
    this.reads = data.catch(() => {});
    return data;
  }

  private writeHeader(s: Storage | null): void {
    this.headerWritten = true;
    const o = this.options;
    const header: TraceHeader = {
      dittoTrace: TRACE_FORMAT_VERSION, backend: s?.backend.name ?? 'none', description: s?.backend.description ?? '',
      steps: o.steps ? [...o.steps].sort((a, b) => a - b) : null, ops: o.ops ? [...o.ops].sort() : null, values: o.values,
    };
    this.write(JSON.stringify(header));
  }

  private emit(line: string | Promise<string>): void {
    if (typeof line === 'string' && this.pending.length === 0) {
      this.write(line);
      return;
    }
    // Keep the promise from being reported as unhandled; its failure is raised by close().
    if (typeof line !== 'string') line.catch(() => {});
    this.pending.push(line);
    this.pumping ??= this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (this.pending.length) {
        const line = await this.pending[0];
        this.pending.shift();
        this.write(line);
      }
    } catch (e) {
      this.failure ??= e;
      this.pending.length = 0;
    } finally {
      this.pumping = null;
    }
  }

  private write(line: string): void {
    if (line.startsWith('{"seq"')) this.records++;
    this.buf.push(line);
    this.bufChars += line.length + 1;
    if (this.bufChars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (!this.buf.length) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.bufChars = 0;
    const bytes = this.gzip ? gzipSync(text, { level: 1 }) : Buffer.from(text, 'utf8');
    writeSync(this.fd, bytes);
    this.bytes += bytes.length;
  }
}

/** The tracer recording now, if any (runOp's single null check reads it). */
export const TRACING: { tracer: Tracer | null } = { tracer: null };
