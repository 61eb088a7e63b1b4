// Exact float32 bit operations shared by ditto's shaders (no bindings, no entry point).
// WGSL may assume finite math, so NaN is detected from the bits, never with x != x; and
// int <-> float conversions that must round exactly like the CPU are done in integer arithmetic.

// The NaN that invalid operations produce on x86-64 (and so in V8 there, e.g. Math.sqrt(-1)
// stored to a Float32Array): sign set, quiet bit set. NaN bit patterns are not part of the
// CPU/WebGPU agreement contract (only "is NaN" is), but this keeps the common case identical.
const DEFAULT_NAN: u32 = 0xffc00000u;

fn is_nan_bits(b: u32) -> bool {
  return (b & 0x7fffffffu) > 0x7f800000u;
}

fn is_nan(x: f32) -> bool {
  return is_nan_bits(bitcast<u32>(x));
}

// The CPU's floatToInt: truncation toward zero, NaN -> 0, saturation to the int32 range.
fn f32_to_i32_sat(x: f32) -> i32 {
  let b = bitcast<u32>(x);
  if (is_nan_bits(b)) {
    return 0i;
  }
  if ((b & 0x7fffffffu) >= 0x4f000000u) {
    // |x| >= 2^31
    return select(2147483647i, bitcast<i32>(0x80000000u), (b >> 31u) == 1u);
  }
  return i32(x);
}

// int32 -> float32 rounded to nearest, ties to even (what a Float32Array store of an int does),
// without relying on the driver's conversion rounding.
fn i32_to_f32_rne(v: i32) -> f32 {
  let neg = v < 0i;
  let m = select(bitcast<u32>(v), 0u - bitcast<u32>(v), neg);
  if (m == 0u) {
    return 0.0;
  }
  let e = 31u - countLeadingZeros(m);
  var bits: u32;
  if (e <= 23u) {
    bits = ((e + 127u) << 23u) | ((m << (23u - e)) & 0x7fffffu);
  } else {
    let sh = e - 23u;
    var q = m >> sh;
    let rem = m & ((1u << sh) - 1u);
    let half = 1u << (sh - 1u);
    if (rem > half || (rem == half && (q & 1u) == 1u)) {
      q = q + 1u;
    }
    // q in [2^23, 2^24]; a carry into 2^24 bumps the exponent field by one
    bits = ((e + 127u) << 23u) + (q - 0x800000u);
  }
  if (neg) {
    bits = bits | 0x80000000u;
  }
  return bitcast<f32>(bits);
}

// Rounding guard against FMA contraction: returns v unchanged for every v (a NaN with all bits
// set becomes +0, which never occurs in practice), in a form a compiler cannot see through, so
// `acc + rounded(a * b)` keeps the product rounded to f32 before the add even on drivers that
// contract a*b+c into an FMA (the WGSL spec allows it). Enabled per pipeline by the override
// EXACT_GUARD, which the backend sets only when the startup self-test found contraction;
// otherwise the branch folds away at pipeline creation and costs nothing.
override EXACT_GUARD: bool = false;

fn rounded(v: f32) -> f32 {
  if (EXACT_GUARD) {
    return select(0.0, v, bitcast<u32>(v) != 0xffffffffu);
  }
  return v;
}

fn rounded4(v: vec4<f32>) -> vec4<f32> {
  if (EXACT_GUARD) {
    return select(vec4<f32>(0.0), v, bitcast<vec4<u32>>(v) != vec4<u32>(0xffffffffu));
  }
  return v;
}
