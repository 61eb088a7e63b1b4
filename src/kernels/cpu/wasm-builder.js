/**
 * A tiny WebAssembly assembler for the CPU backend's SIMD kernels (wasm-gemm.js, wasm-philox.js,
 * wasm-ew.js): functions are written as instruction lists in JavaScript and encoded to a
 * module's bytes at load time, so the kernels stay readable source code (no toolchain, no
 * binary file). Plain JavaScript (types in wasm-builder.d.ts); imports nothing.
 *
 * Only the instructions the kernels use are provided, each named after its WebAssembly text
 * form. Floating-point instructions are limited to what keeps the engine's exactness contract:
 * IEEE binary32 add, sub, mul, div, comparisons and bit operations, lane by lane (WebAssembly
 * specifies them rounded to nearest-even with subnormals, never fused); there is no fused
 * multiply-add here (relaxed SIMD is not used).
 * Every module imports its memory as env.mem; every function takes and returns i32 only.
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const V128 = 0x7b;

const uleb = (n) => {
  const o = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    o.push(b);
  } while (n);
  return o;
};
const sleb = (n) => {
  const o = [];
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
const name = (s) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];

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
};

/** Plain opcodes of the instructions without immediates. */
const OPS = {
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73,
  'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'f32.add': 0x92, 'f32.sub': 0x93, 'f32.mul': 0x94, 'f32.div': 0x95,
  'f32.eq': 0x5b, 'f32.ne': 0x5c, 'f32.lt': 0x5d, 'f32.gt': 0x5e, 'f32.le': 0x5f, 'f32.ge': 0x60,
  select: 0x1b, drop: 0x1a, return: 0x0f,
};

/** A function under construction: i32 parameters, named locals, an instruction list. */
export class Fn {
  constructor(fnName, params) {
    this.name = fnName;
    this.params = params;
    this.locals = [];
    this.code = [];
    this.index = {};
    params.forEach((p, i) => (this.index[p] = i));
  }
  /** Declares local `n` of type `type` (I32, I64, F32 or V128). */
  local(n, type = I32) {
    if (n in this.index) throw new Error(`wasm-builder: duplicate local ${n}`);
    this.index[n] = this.params.length + this.locals.length;
    this.locals.push(type);
    return this;
  }
  at(n) {
    const i = this.index[n];
    if (i === undefined) throw new Error(`wasm-builder: no local ${n} in ${this.name}`);
    return i;
  }
  get(n) { this.code.push(0x20, ...uleb(this.at(n))); return this; }
  set(n) { this.code.push(0x21, ...uleb(this.at(n))); return this; }
  tee(n) { this.code.push(0x22, ...uleb(this.at(n))); return this; }
  i32(c) { this.code.push(0x41, ...sleb(c | 0)); return this; }
  /** Any instruction of OPS or SIMD by its text name. */
  op(text) {
    if (text in OPS) this.code.push(OPS[text]);
    else if (text in SIMD) this.code.push(0xfd, ...uleb(SIMD[text]));
    else throw new Error(`wasm-builder: unknown instruction ${text}`);
    return this;
  }
  // control
  block() { this.code.push(0x02, 0x40); return this; }
  loop() { this.code.push(0x03, 0x40); return this; }
  if_() { this.code.push(0x04, 0x40); return this; }
  else_() { this.code.push(0x05); return this; }
  end() { this.code.push(0x0b); return this; }
  br(d) { this.code.push(0x0c, ...uleb(d)); return this; }
  brIf(d) { this.code.push(0x0d, ...uleb(d)); return this; }
  call(i) { this.code.push(0x10, ...uleb(i)); return this; }
  // shorthands used by the kernels
  add() { return this.op('i32.add'); }
  sub() { return this.op('i32.sub'); }
  mul() { return this.op('i32.mul'); }
  ltU() { return this.op('i32.lt_u'); }
  ltS() { return this.op('i32.lt_s'); }
  gtS() { return this.op('i32.gt_s'); }
  geS() { return this.op('i32.ge_s'); }
  eqz() { return this.op('i32.eqz'); }
  // memory (memarg: log2 alignment, byte offset)
  i32Load(off = 0) { this.code.push(0x28, 2, ...uleb(off)); return this; }
  i32Load8U(off = 0) { this.code.push(0x2d, 0, ...uleb(off)); return this; }
  i32Store(off = 0) { this.code.push(0x36, 2, ...uleb(off)); return this; }
  i32Store8(off = 0) { this.code.push(0x3a, 0, ...uleb(off)); return this; }
  f32Load(off = 0) { this.code.push(0x2a, 2, ...uleb(off)); return this; }
  f32Store(off = 0) { this.code.push(0x38, 2, ...uleb(off)); return this; }
  f32Zero() { this.code.push(0x43, 0, 0, 0, 0); return this; }
  vLoad(off = 0) { this.code.push(0xfd, 0x00, 4, ...uleb(off)); return this; }
  vStore(off = 0) { this.code.push(0xfd, 0x0b, 4, ...uleb(off)); return this; }
  /** v128.load32_splat */
  vSplatLoad(off = 0) { this.code.push(0xfd, 0x09, 2, ...uleb(off)); return this; }
  /** v128.load32_zero: one 32-bit word into lane 0, the other lanes 0 */
  vLoad32Zero(off = 0) { this.code.push(0xfd, 0x5c, 2, ...uleb(off)); return this; }
  /** v128.const with four i32 lanes */
  vConst(a, b = a, c = a, d = a) {
    const bytes = [];
    for (const w of [a, b, c, d]) bytes.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
    this.code.push(0xfd, 0x0c, ...bytes);
    return this;
  }
  vZero() { return this.vConst(0); }
  /** i8x16.shuffle with 16 lane indices */
  shuffle(lanes) { this.code.push(0xfd, 0x0d, ...lanes); return this; }
  /** i32x4.extract_lane / replace_lane */
  extract32(l) { this.code.push(0xfd, 0x1b, l); return this; }
  replace32(l) { this.code.push(0xfd, 0x1c, l); return this; }
  vAdd() { return this.op('f32x4.add'); }
  vMul() { return this.op('f32x4.mul'); }
  body() {
    const groups = [];
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
export function moduleBytes(fns, exported) {
  const types = fns.map((f) => [0x60, ...uleb(f.params.length), ...new Array(f.params.length).fill(I32), 0]);
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

/** Whether this JavaScript engine runs WebAssembly SIMD (and the environment allows it). */
export function wasmSimdAllowed() {
  const env = typeof process !== 'undefined' ? process.env.DITTO_CPU_WASM : undefined;
  return env !== '0' && typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

/**
 * Compiled modules by name. The main thread's are handed to the pool workers (workerData), so
 * every thread runs the same compiled code and V8's tier-up to optimized code is shared.
 */
const modules = new Map();

/** The modules compiled (or adopted) on this thread so far, by name. */
export function compiledModules() {
  return Object.fromEntries(modules);
}

/** Adopts modules compiled on another thread (a worker's start: compiledModules() of the main thread). */
export function adoptModules(byName) {
  for (const [key, module] of Object.entries(byName ?? {})) {
    if (module instanceof WebAssembly.Module && !modules.has(key)) modules.set(key, module);
  }
}

/**
 * The module `key` compiled from `bytes` (or adopted from the main thread), or null when the
 * bytes do not validate here (no SIMD) or this process cannot create WebAssembly memories (the
 * callers then keep their asm.js / plain loops).
 */
export function compileOrNull(key, bytes) {
  if (!wasmSimdAllowed()) return null;
  if (modules.has(key)) return modules.get(key);
  if (!WebAssembly.validate(bytes)) return null;
  try {
    newMemory(1 << 16);
    const module = new WebAssembly.Module(bytes);
    modules.set(key, module);
    return module;
  } catch {
    return null;
  }
}

/** A fresh growable memory of at least `bytes` bytes for one thread's instances. */
export function newMemory(bytes) {
  return new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536), maximum: 65536 });
}
