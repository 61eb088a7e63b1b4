// requires: lib/index, lib/strided, lib/float-bits, const/elementwise, const/binary-ops, const/dtypes
// binary: out[i] = a[offA(i)] op b[offB(i)] with NumPy broadcasting (strides 0 on broadcast
// dims), on 32-bit words. The op and dtype are the overrides OP and DTYPE (= params.op and
// params.dtype; a pipeline per pair, so the switches fold away). OP: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum,
// 6 equal, 7 notEqual, 8 less, 9 lessEqual, 10 greater, 11 greaterEqual (comparisons write
// 0/1 words, the uint8 result). DTYPE: 0 float32, 1 int32, 2 uint8 (one u32 per element).
// Semantics are the CPU kernel's (src/kernels/cpu/binary.ts): float32 ops are single correctly
// rounded IEEE operations on any driver (lib/float-bits: dt_div in integer arithmetic; dt_add/sub/
// mul_bits the hardware's + - * except where a subnormal is involved, which a driver may flush); maximum/minimum keep a
// on ties and return a NaN operand (a first); comparisons with NaN are false except notEqual;
// float comparisons are decided on the bits (lib/float-bits f32_key), immune to subnormal flushing;
// int32 add/sub/mul wrap, div is floor division with x / 0 = 0 (and INT_MIN / -1 = INT_MIN);
// uint8 results are taken modulo 256, uint8 div truncates (x / 0 = 0).
// Large tensors run in chunks with windowed bindings (lib/index.wgsl Strided origin/bases).
// Bindings: 0 a (read), 1 b (read), 2 out (read_write), 3 params (st.s0: a strides, st.s1: b).
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation (lib/strided.wgsl). Reduction order: none.

override WG: u32 = 256u;
override OP: u32 = 0u;
override DTYPE: u32 = 0u;

struct Params {
  st: Strided,
  n: u32,
  rank: u32,
  op: u32,
  dtype: u32,
}

@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

fn b2u(c: bool) -> u32 {
  return select(0u, 1u, c);
}

fn float_op(op: u32, p: u32, q: u32) -> u32 {
  let x = bitcast<f32>(p);
  let y = bitcast<f32>(q);
  let nx = is_nan_bits(p);
  let ny = is_nan_bits(q);
  switch (op) {
    case BINARY_ADD: { return dt_add_bits(p, q); }
    case BINARY_SUB: { return dt_sub_bits(p, q); }
    case BINARY_MUL: { return dt_mul_bits(p, q); }
    case BINARY_DIV: { return dt_div_bits(p, q); }
    case BINARY_MAXIMUM: {
      if (nx) { return p; }
      if (ny) { return q; }
      return select(q, p, f32_le(q, p));
    }
    case BINARY_MINIMUM: {
      if (nx) { return p; }
      if (ny) { return q; }
      return select(q, p, f32_le(p, q));
    }
    case BINARY_NOT_EQUAL: { return b2u(nx || ny || f32_key(p) != f32_key(q)); }
    default: {
      if (nx || ny) { return 0u; }
      switch (op) {
        case BINARY_EQUAL: { return b2u(f32_key(p) == f32_key(q)); }
        case BINARY_LESS: { return b2u(f32_lt(p, q)); }
        case BINARY_LESS_EQUAL: { return b2u(f32_le(p, q)); }
        case BINARY_GREATER: { return b2u(f32_lt(q, p)); }
        default: { return b2u(f32_le(q, p)); }
      }
    }
  }
}

fn floor_div(x: i32, y: i32) -> i32 {
  if (y == 0i) {
    return 0i;
  }
  if (y == -1i) {
    // x / -1 with INT_MIN wrapping to INT_MIN
    return bitcast<i32>(0u - bitcast<u32>(x));
  }
  let t = x / y;
  let r = x - t * y;
  if (r != 0i && ((r < 0i) != (y < 0i))) {
    return t - 1i;
  }
  return t;
}

fn int_op(op: u32, p: u32, q: u32) -> u32 {
  let x = bitcast<i32>(p);
  let y = bitcast<i32>(q);
  switch (op) {
    case BINARY_ADD: { return p + q; }
    case BINARY_SUB: { return p - q; }
    case BINARY_MUL: { return p * q; }
    case BINARY_DIV: { return bitcast<u32>(floor_div(x, y)); }
    case BINARY_MAXIMUM: { return select(q, p, x >= y); }
    case BINARY_MINIMUM: { return select(q, p, x <= y); }
    case BINARY_EQUAL: { return b2u(x == y); }
    case BINARY_NOT_EQUAL: { return b2u(x != y); }
    case BINARY_LESS: { return b2u(x < y); }
    case BINARY_LESS_EQUAL: { return b2u(x <= y); }
    case BINARY_GREATER: { return b2u(x > y); }
    default: { return b2u(x >= y); }
  }
}

fn u8_op(op: u32, p: u32, q: u32) -> u32 {
  switch (op) {
    case BINARY_ADD: { return (p + q) & 0xffu; }
    case BINARY_SUB: { return (p - q) & 0xffu; }
    case BINARY_MUL: { return (p * q) & 0xffu; }
    case BINARY_DIV: {
      if (q == 0u) { return 0u; }
      return p / q;
    }
    case BINARY_MAXIMUM: { return select(q, p, p >= q); }
    case BINARY_MINIMUM: { return select(q, p, p <= q); }
    case BINARY_EQUAL: { return b2u(p == q); }
    case BINARY_NOT_EQUAL: { return b2u(p != q); }
    case BINARY_LESS: { return b2u(p < q); }
    case BINARY_LESS_EQUAL: { return b2u(p <= q); }
    case BINARY_GREATER: { return b2u(p > q); }
    default: { return b2u(p >= q); }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  if (i0 >= params.n) {
    return;
  }
  let i1 = min(params.n, i0 + E);
  let inner = st_inner();
  var c = st_inner_coord(i0, inner.x);
  var off = st_offsets(i0);
  for (var i = i0; i < i1; i = i + 1u) {
    let p = a[off.x];
    let q = b[off.y];
    var r: u32;
    if (DTYPE == DTYPE_FLOAT32) {
      r = float_op(OP, p, q);
    } else if (DTYPE == DTYPE_INT32) {
      r = int_op(OP, p, q);
    } else {
      r = u8_op(OP, p, q);
    }
    out[st_out(i)] = r;
    c = c + 1u;
    if (c == inner.x) {
      c = 0u;
      off = st_offsets(i + 1u);
    } else {
      off = off + inner.yzw;
    }
  }
}
