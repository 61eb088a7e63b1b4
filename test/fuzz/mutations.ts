/**
 * Hostile-file mutations for the reader fuzzers: byte-level damage (truncation, bit flips, byte
 * overwrites, appended data, a file grown far past its content) and structure-aware damage that
 * gets past the first checks and reaches the deeper ones: a safetensors header rewritten with a
 * hostile shape (2^40 elements...), dtype, data_offsets, tensor name or __metadata__ and its length
 * field kept consistent (or not); a JSON file with one value replaced or removed; an IDX header
 * with hostile dimensions. Every mutation is plain data, so fast-check shrinks and prints it.
 */
import fc from 'fast-check';

/** A position in a file as a fraction of its length (so a mutation fits any file). */
const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; flips: { at: number; bit: number }[] }
  | { kind: 'overwrite'; at: number; bytes: number[] }
  | { kind: 'append'; bytes: number[]; repeat: number };

export const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.record({ at, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at, bytes: fc.array(fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0x20, 0x22, 0x7b, 0x7d, 0x30, 0x39), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }), repeat: fc.constantFrom(1, 1, 1, 4096, 65536) }),
);

/** Applies a byte mutation (a new buffer; the input is not changed). */
export function applyBytes(b: Uint8Array, m: ByteMutation): Buffer {
  const pos = (f: number) => Math.min(b.length - 1, Math.floor(f * b.length));
  switch (m.kind) {
    case 'truncate': return Buffer.from(b.subarray(0, Math.floor(m.at * b.length)));
    case 'flip': {
      const out = Buffer.from(b);
      if (out.length) for (const f of m.flips) out[pos(f.at)] ^= 1 << f.bit;
      return out;
    }
    case 'overwrite': {
      const out = Buffer.from(b);
      const p = Math.max(0, pos(m.at));
      m.bytes.forEach((v, i) => { if (p + i < out.length) out[p + i] = v; });
      return out;
    }
    case 'append': {
      const tail = Buffer.alloc(m.bytes.length * m.repeat);
      for (let i = 0; i < tail.length; i++) tail[i] = m.bytes[i % m.bytes.length];
      return Buffer.concat([b, tail]);
    }
  }
}

/** Values a JSON field gets when damaged: wrong types, out of range, non-integers, huge, hostile names. */
export const HOSTILE_JSON: readonly unknown[] = [
  null, true, -1, 0, 1.5, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, 2 ** 64, 1e300, -(2 ** 53), '', 'x', '__proto__', 'constructor', '1',
  [], {}, [0], [2 ** 40], [1, 2, 3], [-1, 4], [4, 0], { __proto__: null }, 'A'.repeat(300),
  // for string fields holding JSON (a weights file's __metadata__.order): lists naming prototype keys
  '["__proto__","conv/bias","out/kernel","out/bias"]', '["conv/kernel","toString","out/kernel","out/bias"]', '[1,2,3,4]', '{}',
];

/** Names a renamed key gets: prototype keys, empty, numeric-looking, long. */
export const HOSTILE_NAMES: readonly string[] = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '1', 'x', 'model/x', 'A'.repeat(300)];

export interface JsonMutation {
  /** Which leaf or object/array node (index into the list of paths, modulo its length). */
  target: number;
  action: 'replace' | 'delete' | 'rename';
  value: number;
}

export const jsonMutationArb: fc.Arbitrary<JsonMutation> = fc.record({
  target: fc.nat({ max: 100_000 }),
  action: fc.oneof({ weight: 6, arbitrary: fc.constant('replace' as const) }, { weight: 2, arbitrary: fc.constant('delete' as const) }, { weight: 1, arbitrary: fc.constant('rename' as const) }),
  value: fc.nat({ max: HOSTILE_JSON.length - 1 }),
});

type Json = unknown;

function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, Json>)[k], [...prefix, k], out);
  return out;
}

/** The JSON value with one node replaced by a hostile value, deleted, or (object keys) renamed. */
export function applyJson(v: Json, m: JsonMutation): Json {
  const copy = JSON.parse(JSON.stringify(v)) as Json;
  const all = paths(copy);
  if (!all.length) return HOSTILE_JSON[m.value];
  const path = all[m.target % all.length];
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const key = path[path.length - 1];
  const hostile = JSON.parse(JSON.stringify(HOSTILE_JSON[m.value] ?? null)) as Json;
  if (m.action === 'replace') parent[key] = hostile;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else {
    const old = parent[key];
    delete parent[key];
    const name = HOSTILE_NAMES[m.value % HOSTILE_NAMES.length];
    if (m.action === 'rename') Object.defineProperty(parent, name, { value: old, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

// ---------------------------------------------------------------- safetensors

export interface SafetensorsMutation {
  json: JsonMutation | null;
  /** The 8-byte header length: kept right ('exact'), or made hostile. */
  length: 'exact' | 'plus1' | 'minus1' | 'zero' | 'huge' | 'u64max' | 'whole';
  /** Spaces or garbage after the JSON inside the header. */
  pad: '' | ' ' | '        ' | 'x' | '\u0000';
  bytes: ByteMutation | null;
}

export const safetensorsMutationArb: fc.Arbitrary<SafetensorsMutation> = fc.record({
  json: fc.option(jsonMutationArb, { freq: 2, nil: null }),
  length: fc.oneof({ weight: 10, arbitrary: fc.constant('exact' as const) }, { weight: 1, arbitrary: fc.constantFrom('plus1' as const, 'minus1' as const, 'zero' as const, 'huge' as const, 'u64max' as const, 'whole' as const) }),
  pad: fc.constantFrom('' as const, ' ' as const, '        ' as const, 'x' as const, '\u0000' as const),
  bytes: fc.option(byteMutationArb, { freq: 3, nil: null }),
});

/** Splits a safetensors file into its header object and data. */
export function splitSafetensors(file: Uint8Array): { header: Json; data: Uint8Array } {
  const n = Number(Buffer.from(file).readBigUInt64LE(0));
  return { header: JSON.parse(Buffer.from(file.subarray(8, 8 + n)).toString('utf8')), data: file.subarray(8 + n) };
}

/** A damaged copy of a valid safetensors file. */
export function applySafetensors(file: Uint8Array, m: SafetensorsMutation): Buffer {
  const { header, data } = splitSafetensors(file);
  const json = Buffer.from(JSON.stringify(m.json ? applyJson(header, m.json) : header) + m.pad, 'utf8');
  const len = Buffer.alloc(8);
  const exact = BigInt(json.length);
  const value: Record<SafetensorsMutation['length'], bigint> = {
    exact, plus1: exact + 1n, minus1: exact > 0n ? exact - 1n : 0n, zero: 0n, huge: 2n ** 53n + 7n, u64max: 2n ** 64n - 1n,
    whole: BigInt(json.length + data.length),
  };
  len.writeBigUInt64LE(value[m.length]);
  const out = Buffer.concat([len, json, data]);
  return m.bytes ? applyBytes(out, m.bytes) : out;
}

/** A safetensors file whose header claims `elements` float32 values (shape [elements]) over a small data block. */
export function claimingSafetensors(elements: number, dataBytes: number): Buffer {
  const json = Buffer.from(JSON.stringify({ big: { dtype: 'F32', shape: [elements], data_offsets: [0, 4 * elements] } }), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(dataBytes)]);
}

// ---------------------------------------------------------------- IDX

export interface IdxMutation {
  /** A dimension (index modulo the rank) set to a hostile value, or none. */
  dim: { index: number; value: number } | null;
  magic: number | null;
  bytes: ByteMutation | null;
  gzip: boolean;
}

export const IDX_DIMS = [0, 1, 27, 29, 0xffff, 0x7fffffff, 0xffffffff, 2 ** 28];

export const idxMutationArb: fc.Arbitrary<IdxMutation> = fc.record({
  dim: fc.option(fc.record({ index: fc.nat({ max: 3 }), value: fc.constantFrom(...IDX_DIMS) }), { nil: null }),
  magic: fc.option(fc.constantFrom(2049, 2051, 2052, 0x0d03, 0, 0xffffffff), { freq: 4, nil: null }),
  bytes: fc.option(byteMutationArb, { freq: 2, nil: null }),
  gzip: fc.boolean(),
});
