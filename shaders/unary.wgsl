// requires: lib/index, lib/float-bits, const/elementwise, const/unary-ops
// unary: out[i] = f(x[i]) on 32-bit words, f chosen by the override OP (= params.op; a pipeline
// per op, so the switch folds away, which halves lavapipe's time):
//   0 copy            1 neg f32 (sign flip)   2 neg i32 (wraps)     3 abs f32 (clear sign)
//   4 abs i32 (wraps) 5 sign f32              6 sign i32            7 sqrt f32
//   8 square f32      9 square i32 (wraps)    10 relu f32           11 relu i32
//   12 clip f32       13 clip i32             14 cast i32->f32 (RNE) 15 cast u8->f32
//   16 cast f32->i32 (trunc, NaN->0, saturate) 17 cast f32->u8 (via i32, mod 256) 18 cast i32->u8
// Each is the CPU kernel's single correctly rounded operation (src/kernels/cpu/unary.ts,
// fill-cast.ts); NaN is tested from the bits. sqrt is lib/float-bits dt_sqrt (integer
// arithmetic, correctly rounded on any driver); relu tests x > +0 on the bits; sqrt of a negative number gives the x86 default
// NaN 0xffc00000, as Math.sqrt does in V8 on x86-64 (NaN bits are not part of the contract).
// clip: f32 bounds in lo/hi (rounded on the host); i32: x < min is x < loCmp unless loMode is
// 1 (always) or 2 (never), x > max is x > hiCmp unless hiMode is 1 (always) or 2 (never); the
// replacement values are loVal/hiVal (ToInt32 of the bounds).
// Large tensors run in chunks, each binding a window of x and out at the same element offset.
// Bindings: 0 x (read), 1 out (read_write), 2 params.
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation. Reduction order: none.

override WG: u32 = 256u;
override OP: u32 = 0u;

struct Params {
  n: u32,
  op: u32,
  lo: u32,
  hi: u32,
  loMode: u32,
  hiMode: u32,
  loVal: u32,
  hiVal: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

fn apply(w: u32) -> u32 {
  let f = bitcast<f32>(w);
  let v = bitcast<i32>(w);
  switch (OP) {
    case UNARY_COPY: { return w; }
    case UNARY_NEG_F: { return w ^ 0x80000000u; }
    case UNARY_NEG_I: { return 0u - w; }
    case UNARY_ABS_F: { return w & 0x7fffffffu; }
    case UNARY_ABS_I: { return select(w, 0u - w, v < 0i); }
    case UNARY_SIGN_F: {
      if (is_nan_bits(w)) { return w; }
      if ((w & 0x7fffffffu) == 0u) { return 0u; }
      return select(0x3f800000u, 0xbf800000u, (w >> 31u) == 1u);
    }
    case UNARY_SIGN_I: { return bitcast<u32>(select(select(0i, 1i, v > 0i), -1i, v < 0i)); }
    case UNARY_SQRT_F: {
      if (is_nan_bits(w) || (w & 0x7fffffffu) == 0u || w == 0x7f800000u) { return w; }
      if ((w >> 31u) == 1u) { return DEFAULT_NAN; }
      return dt_sqrt_bits(w);
    }
    case UNARY_SQUARE_F: { return dt_mul_bits(w, w); }
    case UNARY_SQUARE_I: { return w * w; }
    case UNARY_RELU_F: {
      if (is_nan_bits(w)) { return w; }
      // w > +0 decided on the bits, so a driver that flushes subnormals cannot alter it
      return select(0u, w, (w >> 31u) == 0u && w != 0u);
    }
    case UNARY_RELU_I: { return select(0u, w, v > 0i); }
    case UNARY_CLIP_F: {
      if (is_nan_bits(w)) { return w; }
      // compared on the bits (lib/float-bits), immune to subnormal flushing
      if (f32_lt(w, params.lo)) { return params.lo; }
      if (f32_lt(params.hi, w)) { return params.hi; }
      return w;
    }
    case UNARY_CLIP_I: {
      let below = params.loMode == 1u || (params.loMode == 0u && v < bitcast<i32>(params.lo));
      if (below) { return params.loVal; }
      let above = params.hiMode == 1u || (params.hiMode == 0u && v > bitcast<i32>(params.hi));
      if (above) { return params.hiVal; }
      return w;
    }
    case UNARY_I32_TO_F32: { return bitcast<u32>(i32_to_f32_rne(v)); }
    case UNARY_U8_TO_F32: { return bitcast<u32>(f32(w)); }
    case UNARY_F32_TO_I32: { return bitcast<u32>(f32_to_i32_sat(f)); }
    case UNARY_F32_TO_U8: { return bitcast<u32>(f32_to_i32_sat(f)) & 0xffu; }
    case UNARY_I32_TO_U8: { return w & 0xffu; }
    default: { return w; }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  let i1 = min(params.n, i0 + E);
  for (var i = i0; i < i1; i = i + 1u) {
    out[i] = apply(x[i]);
  }
}
