/**
 * The op-trace file format: JSON lines, optionally gzip-compressed (a path ending in `.gz`; written as a series of
 * gzip members, which every gzip reader concatenates). The first line is a {@link TraceHeader}, each further line
 * one {@link TraceRecord}, in the order the ops ran. Values are fingerprints of the float32 bits (hashes and
 * statistics, never decimal text), so traces compare across processes, thread counts, backends and machines.
 * Part of src/core: imports nothing outside src/core.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DataFormatError } from '../errors.ts';
import type { TracePhase } from './scope.ts';

/**
 * The format version written in every header. 2: the fingerprint hash is the chunked MurmurHash3-based hash of
 * fingerprint.ts and the mean is summed in its order (version 1: the first 64 bits of a SHA-1, the mean in index
 * order). Traces of different versions cannot be compared: readTrace refuses any other version.
 */
export const TRACE_FORMAT_VERSION = 2;

/** The first line of a trace: what produced it (informational: diffs compare the records). */
export interface TraceHeader {
  /** Always {@link TRACE_FORMAT_VERSION}. */
  dittoTrace: number;
  /** The backend the trace started on: 'cpu' or 'webgpu'. */
  backend: string;
  /** The backend's one-line description (CPU threads and kernels, or the GPU adapter). */
  description: string;
  /** The steps traced (null: all ops). */
  steps: number[] | null;
  /** The op names traced (null: all). */
  ops: string[] | null;
  /** Whether records carry their outputs' values. */
  values: boolean;
}

/** One executed op of a trace. */
export interface TraceRecord {
  /** Sequence number among the recorded ops, from 0. */
  seq: number;
  /** The training step (fit's optimizer step, from 1) the op ran in; 0 outside fit's steps. */
  step: number;
  /**
   * The stream the op belongs to: `s<step>` for the ops of one training step (their order is the program's), `out`
   * for ops outside the steps (model building, the input pipeline, log reads, validation), whose interleaving
   * can depend on timing; a suffix `/<name>` marks a side stream (ops only some backends run, such as WebGPU's
   * deferred label checks: `s1/check`). Diffs align the records of two traces by stream and {@link TraceRecord.k | k}.
   */
  st: string;
  /** The op's position within its stream, from 0. */
  k: number;
  /** The primitive op's name, e.g. 'conv2d'. */
  op: string;
  /** The scope it ran under, e.g. 'sequential/conv2d_1' ('' at top level). */
  scope: string;
  /** 'forward', or 'gradient' for ops of the backward pass. */
  phase: TracePhase;
  /** In the gradient phase: the forward op being differentiated. */
  of?: string;
  /** The hashes of the inputs' bits, in argument order. */
  in: string[];
  /** The output's shape. */
  shape: number[];
  /** The output's dtype. */
  dtype: string;
  /** The hash of the output's bits (see fingerprint.ts). */
  hash: string;
  /** Smallest finite output value (null if none). */
  min: number | null;
  /** Largest finite output value (null if none). */
  max: number | null;
  /** Mean of the finite output values (null if none). */
  mean: number | null;
  /** NaN count. */
  nan: number;
  /** Infinity count. */
  inf: number;
  /** Subnormal count. */
  sub: number;
  /** With `values: true`: the output's bytes (little-endian), base64. */
  v?: string;
}

/** A trace read back from a file. */
export interface Trace {
  /** The header line. */
  header: TraceHeader;
  /** The records in sequence order. */
  records: TraceRecord[];
}

/**
 * Reads a trace file (plain or gzip JSON lines).
 * @throws {@link DataFormatError} for a file that is not a ditto trace.
 */
export function readTrace(path: string): Trace {
  let bytes: Buffer = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const lines = bytes.toString('utf8').split('\n').filter((l) => l.length > 0);
  const parse = (l: string, i: number): unknown => {
    try {
      return JSON.parse(l);
    } catch {
      throw new DataFormatError(`readTrace: ${path}: line ${i + 1} is not JSON (a truncated trace?)`);
    }
  };
  const header = lines.length ? (parse(lines[0], 0) as TraceHeader) : undefined;
  const version = (header as { dittoTrace?: unknown } | null | undefined)?.dittoTrace;
  if (typeof version === 'number' && version !== TRACE_FORMAT_VERSION) {
    throw new DataFormatError(`readTrace: ${path}: expected a ditto trace of format version ${TRACE_FORMAT_VERSION}. Received: a trace of format version ${version}, whose hashes and statistics are computed differently: record both traces with the same ditto version`);
  }
  if (!header || version !== TRACE_FORMAT_VERSION) {
    throw new DataFormatError(`readTrace: ${path}: expected a ditto trace (version ${TRACE_FORMAT_VERSION} header line). Received: ${lines.length ? lines[0].slice(0, 80) : 'an empty file'}`);
  }
  return { header, records: lines.slice(1).map((l, i) => parse(l, i + 1) as TraceRecord) };
}

/** Decodes a record's stored values (`v`), or undefined when it has none. */
export function recordValues(r: TraceRecord): Float32Array | Int32Array | Uint8Array | undefined {
  if (r.v === undefined) return undefined;
  const b = Buffer.from(r.v, 'base64');
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  if (r.dtype === 'float32') return new Float32Array(ab);
  if (r.dtype === 'int32') return new Int32Array(ab);
  return new Uint8Array(ab);
}
