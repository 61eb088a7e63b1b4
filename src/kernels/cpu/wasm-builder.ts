/**
 * A tiny WebAssembly assembler for the CPU backend's SIMD kernels (wasm-gemm.ts, wasm-philox.ts,
 * wasm-ew.ts): functions are written as instruction lists in TypeScript and encoded to a
 * module's bytes at load time, so the kernels stay readable source code (no toolchain, no
 * binary file). Also the per-thread registry of compiled modules that the pool workers adopt.
 * Part of src/kernels/cpu: imports nothing.
 *
 * Only the instructions the kernels use are provided, each named after its WebAssembly text
 * form (`op` takes only those names: a misspelt instruction is a compile-time error).
 * Floating-point instructions are limited to what keeps the engine's exactness contract:
 * IEEE binary32 add, sub, mul, div, comparisons and bit operations, lane by lane (WebAssembly
 * specifies them rounded to nearest-even with subnormals, never fused); there is no fused
 * multiply-add here (relaxed SIMD is not used). For op-trace statistics (wasm-fingerprint.ts): the exact
 * binary32 -> binary64 conversion, binary64 add (rounded to nearest-even) and the selections pmin/pmax.
 * Every module imports its memory as env.mem; every function takes i32 parameters only and
 * returns nothing.
 */

/** WebAssembly value types of locals. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof V128;

const uleb = (n: number): number[] => {
  const o: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    o.push(b);
  } while (n);
  return o;
};
const sleb = (n: number): number[] => {
  const o: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      o.push(b);
      return o;
    }
    o.push(b | 0x80);
  }
};
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

/** SIMD opcodes (after the 0xfd prefix) of the instructions without immediates. */
const SIMD = {
  'i8x16.swizzle': 0x0e, 'i32x4.splat': 0x11, 'f32x4.splat': 0x13,
  'i32x4.eq': 0x37, 'i32x4.ne': 0x38, 'i32x4.lt_u': 0x3a, 'i32x4.gt_u': 0x3c,
  'f32x4.eq': 0x41, 'f32x4.ne': 0x42, 'f32x4.lt': 0x43, 'f32x4.gt': 0x44, 'f32x4.le': 0x45, 'f32x4.ge': 0x46,
  'v128.not': 0x4d, 'v128.and': 0x4e, 'v128.andnot': 0x4f, 'v128.or': 0x50, 'v128.xor': 0x51, 'v128.bitselect': 0x52,
  'i8x16.eq': 0x23, 'i8x16.ne': 0x24,
  'i8x16.narrow_i16x8_s': 0x65, 'i16x8.narrow_i32x4_s': 0x85,
  'i16x8.extend_low_i8x16_s': 0x87, 'i16x8.extend_high_i8x16_s': 0x88,
  'i32x4.extend_low_i16x8_s': 0xa7, 'i32x4.extend_high_i16x8_s': 0xa8,
  'i32x4.shl': 0xab, 'i32x4.shr_u': 0xad, 'i32x4.add': 0xae, 'i32x4.sub': 0xb1, 'i32x4.mul': 0xb5,
  'i64x2.extmul_low_i32x4_u': 0xde, 'i64x2.extmul_high_i32x4_u': 0xdf,
  'f32x4.add': 0xe4, 'f32x4.sub': 0xe5, 'f32x4.mul': 0xe6, 'f32x4.div': 0xe7,
  'f32x4.convert_i32x4_u': 0xfb,
  'i32x4.lt_s': 0x39, 'i32x4.gt_s': 0x3b, 'f32x4.pmin': 0xea, 'f32x4.pmax': 0xeb, 'f64x2.promote_low_f32x4': 0x5f, 'f64x2.add': 0xf0,
  'i16x8.extend_low_i8x16_u': 0x89, 'i16x8.extend_high_i8x16_u': 0x8a, 'i32x4.extend_low_i16x8_u': 0xa9,
  'i32x4.extend_high_i16x8_u': 0xaa, 'i8x16.min_u': 0x77, 'i8x16.max_u': 0x79,
} as const;

/** Plain opcodes of the instructions without immediates. */
const OPS = {
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73,
  'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'f32.add': 0x92, 'f32.sub': 0x93, 'f32.mul': 0x94, 'f32.div': 0x95,
  'f32.eq': 0x5b, 'f32.ne': 0x5c, 'f32.lt': 0x5d, 'f32.gt': 0x5e, 'f32.le': 0x5f, 'f32.ge': 0x60,
  select: 0x1b, drop: 0x1a, return: 0x0f,
} as const;

/** The text name of an instruction without immediates (plain or SIMD). */
export type Instr = keyof typeof OPS | keyof typeof SIMD;

const isPlain = (text: Instr): text is keyof typeof OPS => text in OPS;

/** A function under construction: named i32 parameters, named locals, an instruction list. */
export class Fn<Name extends string = string> {
  readonly name: Name;
  readonly params: readonly string[];
  private readonly locals: ValType[] = [];
  private readonly code: number[] = [];
  private readonly index = new Map<string, number>();

  constructor(fnName: Name, params: readonly string[]) {
    this.name = fnName;
    this.params = params;
    params.forEach((p, i) => this.index.set(p, i));
  }
  /** Declares local `n` of type `type` (I32, I64, F32 or V128). */
  local(n: string, type: ValType = I32): this {
    if (this.index.has(n)) throw new Error(`wasm-builder: duplicate local ${n}`);
    this.index.set(n, this.params.length + this.locals.length);
    this.locals.push(type);
    return this;
  }
  private at(n: string): number {
    const i = this.index.get(n);
    if (i === undefined) throw new Error(`wasm-builder: no local ${n} in ${this.name}`);
    return i;
  }
  private emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  get(n: string): this { return this.emit(0x20, ...uleb(this.at(n))); }
  set(n: string): this { return this.emit(0x21, ...uleb(this.at(n))); }
  tee(n: string): this { return this.emit(0x22, ...uleb(this.at(n))); }
  i32(c: number): this { return this.emit(0x41, ...sleb(c | 0)); }
  /** Any instruction without immediates, by its text name. */
  op(text: Instr): this {
    return isPlain(text) ? this.emit(OPS[text]) : this.emit(0xfd, ...uleb(SIMD[text]));
  }
  // control
  block(): this { return this.emit(0x02, 0x40); }
  loop(): this { return this.emit(0x03, 0x40); }
  if_(): this { return this.emit(0x04, 0x40); }
  else_(): this { return this.emit(0x05); }
  end(): this { return this.emit(0x0b); }
  br(d: number): this { return this.emit(0x0c, ...uleb(d)); }
  brIf(d: number): this { return this.emit(0x0d, ...uleb(d)); }
  call(i: number): this { return this.emit(0x10, ...uleb(i)); }
  // shorthands used by the kernels
  add(): this { return this.op('i32.add'); }
  sub(): this { return this.op('i32.sub'); }
  mul(): this { return this.op('i32.mul'); }
  ltU(): this { return this.op('i32.lt_u'); }
  ltS(): this { return this.op('i32.lt_s'); }
  gtS(): this { return this.op('i32.gt_s'); }
  geS(): this { return this.op('i32.ge_s'); }
  eqz(): this { return this.op('i32.eqz'); }
  // memory (memarg: log2 alignment, byte offset)
  i32Load(off = 0): this { return this.emit(0x28, 2, ...uleb(off)); }
  i32Load8U(off = 0): this { return this.emit(0x2d, 0, ...uleb(off)); }
  i32Store(off = 0): this { return this.emit(0x36, 2, ...uleb(off)); }
  i32Store8(off = 0): this { return this.emit(0x3a, 0, ...uleb(off)); }
  f32Load(off = 0): this { return this.emit(0x2a, 2, ...uleb(off)); }
  f32Store(off = 0): this { return this.emit(0x38, 2, ...uleb(off)); }
  f32Zero(): this { return this.emit(0x43, 0, 0, 0, 0); }
  vLoad(off = 0): this { return this.emit(0xfd, 0x00, 4, ...uleb(off)); }
  vStore(off = 0): this { return this.emit(0xfd, 0x0b, 4, ...uleb(off)); }
  /** v128.load32_splat */
  vSplatLoad(off = 0): this { return this.emit(0xfd, 0x09, 2, ...uleb(off)); }
  /** v128.load32_zero: one 32-bit word into lane 0, the other lanes 0 */
  vLoad32Zero(off = 0): this { return this.emit(0xfd, 0x5c, 2, ...uleb(off)); }
  /** v128.const with four i32 lanes */
  vConst(a: number, b = a, c = a, d = a): this {
    const bytes: number[] = [];
    for (const w of [a, b, c, d]) bytes.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
    return this.emit(0xfd, 0x0c, ...bytes);
  }
  vZero(): this { return this.vConst(0); }
  /** i8x16.shuffle with 16 lane indices */
  shuffle(lanes: readonly number[]): this { return this.emit(0xfd, 0x0d, ...lanes); }
  /** i32x4.extract_lane / replace_lane */
  extract32(l: number): this { return this.emit(0xfd, 0x1b, l); }
  replace32(l: number): this { return this.emit(0xfd, 0x1c, l); }
  vAdd(): this { return this.op('f32x4.add'); }
  vMul(): this { return this.op('f32x4.mul'); }
  /** The function body's bytes (locals grouped by type, the code, `end`). */
  body(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const b = [...vec(groups.map(([n, t]) => [...uleb(n), t])), ...this.code, 0x0b];
    return [...uleb(b.length), ...b];
  }
}

/**
 * The bytes of a module of functions `fns` (function i has index i; every parameter is i32 and
 * there are no results) importing its memory as env.mem, exporting the functions named in
 * `exported`.
 */
export function moduleBytes(fns: readonly Fn[], exported: readonly string[]): Uint8Array {
  const types = fns.map((f) => [0x60, ...uleb(f.params.length), ...new Array<number>(f.params.length).fill(I32), 0]);
  const imports = [[...name('env'), ...name('mem'), 0x02, 0x00, ...uleb(1)]];
  const exports = exported.map((n) => {
    const i = fns.findIndex((f) => f.name === n);
    if (i < 0) throw new Error(`wasm-builder: no function ${n} to export`);
    return [...name(n), 0x00, ...uleb(i)];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(fns.map((f) => f.body()))),
  ]);
}

/**
 * The part of the WebAssembly JavaScript API the kernels use, typed here: TypeScript declares it
 * only in its DOM library, which this project does not load (and must not impose on the
 * package's users through its declarations).
 */
declare const moduleBrand: unique symbol;
/** A compiled WebAssembly.Module (structured-cloneable: workers adopt the main thread's). */
export interface WasmModule {
  readonly [moduleBrand]: true;
}
/** A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Readonly<Record<string, unknown>> };
  validate(bytes: Uint8Array): boolean;
}
const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The WebAssembly API, or an error where this runtime has none (callers check wasmSimdAllowed / compileOrNull first). */
function wasm(): WasmApi {
  if (WASM === undefined) throw new Error('wasm-builder: this JavaScript runtime has no WebAssembly');
  return WASM;
}

/** An exported kernel function: i32 arguments (byte offsets, counts, raw words), no result. */
export type KernelFn = (...args: number[]) => void;

/**
 * Instantiates `module` on `memory` (as env.mem) and returns its exported functions `names`,
 * checking that each exists (the one place the untyped WebAssembly exports become typed).
 */
export function instantiate<N extends string>(module: WasmModule, memory: WasmMemory, names: readonly N[]): Record<N, KernelFn> {
  const exports = new (wasm().Instance)(module, { env: { mem: memory } }).exports;
  const out = {} as Record<N, KernelFn>;
  for (const n of names) {
    const f = exports[n];
    if (typeof f !== 'function') throw new Error(`wasm-builder: the module exports no function ${n}`);
    out[n] = f as KernelFn;
  }
  return out;
}

/** Whether this process may use WebAssembly SIMD (the environment variable DITTO_CPU_WASM=0 turns it off). */
export function wasmSimdAllowed(): boolean {
  return process.env.DITTO_CPU_WASM !== '0' && WASM !== undefined;
}

/**
 * Compiled modules by name. The main thread's are handed to the pool workers (workerData), so
 * every thread runs the same compiled code and V8's tier-up to optimized code is shared.
 */
const modules = new Map<string, WasmModule>();

/** The modules compiled (or adopted) on this thread so far, by name. */
export function compiledModules(): Record<string, WasmModule> {
  return Object.fromEntries(modules);
}

/** Adopts modules compiled on another thread (a worker's start: compiledModules() of the main thread). */
export function adoptModules(byName: Readonly<Record<string, unknown>> | undefined): void {
  if (WASM === undefined) return;
  for (const [key, module] of Object.entries(byName ?? {})) {
    if (module instanceof WASM.Module && !modules.has(key)) modules.set(key, module);
  }
}

/**
 * The module `key` compiled from `bytes()` (or adopted from the main thread), or null when
 * DITTO_CPU_WASM=0, the bytes do not validate here (no SIMD) or this process cannot create
 * WebAssembly memories: the callers then run their plain scalar TypeScript loops.
 */
export function compileOrNull(key: string, bytes: () => Uint8Array): WasmModule | null {
  if (!wasmSimdAllowed()) return null;
  const known = modules.get(key);
  if (known) return known;
  const api = wasm();
  const b = bytes();
  if (!api.validate(b)) return null;
  try {
    newMemory(1 << 16);
    const module = new api.Module(b);
    modules.set(key, module);
    return module;
  } catch {
    return null;
  }
}

/** A fresh growable memory of at least `bytes` bytes for one thread's instances. */
export function newMemory(bytes: number): WasmMemory {
  return new (wasm().Memory)({ initial: Math.ceil(bytes / 65536), maximum: 65536 });
}
