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

// float32 comparisons decided on the bits, so that a driver that flushes subnormals to zero (the
// WGSL spec allows it; NVIDIA's Vulkan driver does) cannot make two different subnormals equal or
// a subnormal equal to zero. IEEE semantics: -0 == +0; the callers handle NaN (f32_key orders
// only non-NaN values: -Inf < ... < -0 == +0 < ... < +Inf).
fn f32_key(b: u32) -> i32 {
  let m = bitcast<i32>(b & 0x7fffffffu);
  return select(m, -m, (b >> 31u) == 1u);
}

// a < b for non-NaN bit patterns a, b.
fn f32_lt(a: u32, b: u32) -> bool {
  return f32_key(a) < f32_key(b);
}

// a <= b for non-NaN bit patterns a, b.
fn f32_le(a: u32, b: u32) -> bool {
  return f32_key(a) <= f32_key(b);
}

// b > 0 (relu's gradient mask): sign clear, not zero, not NaN (+Inf counts).
fn f32_positive_bits(b: u32) -> bool {
  return (b >> 31u) == 0u && b != 0u && b <= 0x7f800000u;
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

// ---- correctly rounded division and square root in integer arithmetic ---------------------------
// The WGSL spec allows a / b to be off by 2.5 ulp and sqrt by more, and drivers may flush
// subnormal operands and results to zero (NVIDIA's Vulkan driver does all three). dt_div and
// dt_sqrt never use the hardware's float division, sqrt or any float arithmetic: they decode the
// operands' bits, divide or take the root of the integer significands (restoring long division,
// digit-by-digit square root; 26 quotient/root bits plus a sticky bit) and round to nearest-even,
// subnormal results included, exactly as IEEE 754 binary32 (and so the CPU's
// Math.fround(a / b), Math.fround(Math.sqrt(a))). Invalid operations give DEFAULT_NAN; a NaN
// operand is returned quieted.

// |x| (finite, nonzero bits) as m * 2^e with m in [2^23, 2^24); returns vec2(m, e + 1000).
fn dt_unpack(b: u32) -> vec2<u32> {
  let ex = (b >> 23u) & 0xffu;
  let f = b & 0x7fffffu;
  if (ex == 0u) {
    let sh = countLeadingZeros(f) - 8u;
    return vec2<u32>(f << sh, 1000u - 149u - sh);
  }
  return vec2<u32>(f | 0x800000u, 1000u + ex - 150u);
}

// Packs sign | (q / 2^25) * 2^E rounded to nearest-even, for q in [2^25, 2^26) holding the
// 26 leading bits of the exact value and sticky = whether any nonzero bit lies below them.
// E is passed biased by 1000. Handles overflow to infinity and subnormal/zero results.
fn dt_pack_rne(sign: u32, q: u32, sticky: bool, eb: i32) -> u32 {
  let biased = eb - 1000 + 127;
  if (biased >= 255) {
    return sign | 0x7f800000u;
  }
  // shift = 2 for a normal result (24 significant bits), more for a subnormal one
  var shift = 2u;
  if (biased <= 0) {
    shift = u32(3 - biased);
  }
  var m = 0u;
  var half = false;
  var rest = sticky;
  if (shift >= 32u) {
    rest = rest || q != 0u;
  } else {
    m = q >> shift;
    half = ((q >> (shift - 1u)) & 1u) == 1u;
    rest = rest || (q & ((1u << (shift - 1u)) - 1u)) != 0u;
  }
  if (half && (rest || (m & 1u) == 1u)) {
    m = m + 1u;
  }
  if (biased <= 0) {
    // subnormal field (a carry into 2^23 yields the smallest normal, as the bits say)
    return sign | m;
  }
  // m in [2^23, 2^24]; a carry to 2^24 bumps the exponent (to infinity at the top, as IEEE)
  return sign | ((u32(biased) << 23u) + (m - 0x800000u));
}

fn dt_div_bits(pa: u32, pb: u32) -> u32 {
  let sign = (pa ^ pb) & 0x80000000u;
  let aa = pa & 0x7fffffffu;
  let ab = pb & 0x7fffffffu;
  if (aa > 0x7f800000u) {
    return pa | 0x400000u;
  }
  if (ab > 0x7f800000u) {
    return pb | 0x400000u;
  }
  if (aa == 0x7f800000u) {
    return select(sign | 0x7f800000u, DEFAULT_NAN, ab == 0x7f800000u);
  }
  if (ab == 0x7f800000u) {
    return sign;
  }
  if (ab == 0u) {
    return select(sign | 0x7f800000u, DEFAULT_NAN, aa == 0u);
  }
  if (aa == 0u) {
    return sign;
  }
  let ua = dt_unpack(aa);
  let ub = dt_unpack(ab);
  var r = ua.x;
  var e = i32(ua.y) - i32(ub.y) + 1000;
  if (r < ub.x) {
    r = r << 1u;
    e = e - 1;
  }
  // r / ub.x in [1, 2): 26 quotient bits, the first one 1
  var q = 0u;
  for (var i = 0u; i < 26u; i = i + 1u) {
    q = q << 1u;
    if (r >= ub.x) {
      r = r - ub.x;
      q = q | 1u;
    }
    r = r << 1u;
  }
  return dt_pack_rne(sign, q, r != 0u, e);
}

fn dt_div(a: f32, b: f32) -> f32 {
  return bitcast<f32>(dt_div_bits(bitcast<u32>(a), bitcast<u32>(b)));
}

fn dt_sqrt_bits(px: u32) -> u32 {
  let ax = px & 0x7fffffffu;
  if (ax > 0x7f800000u) {
    return px | 0x400000u;
  }
  if (ax == 0u) {
    return px;
  }
  if ((px >> 31u) == 1u) {
    return DEFAULT_NAN;
  }
  if (ax == 0x7f800000u) {
    return px;
  }
  let u = dt_unpack(ax);
  // x = m * 2^e with m in [2^24, 2^26) and e even; the radicand is m * 2^26 (52 bits), so the
  // root has exactly 26 bits (in [2^25, 2^26)) and sqrt(x) = root * 2^((e - 26) / 2).
  var e = i32(u.y) - 1000;
  var m = u.x << 2u;
  e = e - 2;
  if ((e & 1) != 0) {
    m = u.x << 1u;
    e = e + 1;
  }
  var rem = 0u;
  var root = 0u;
  for (var i = 0u; i < 26u; i = i + 1u) {
    // radicand bit pair at positions 51 - 2i and 50 - 2i: bits of m at 25 - 2i and 24 - 2i
    let pos = 24 - 2 * i32(i);
    var pair = 0u;
    if (pos >= 0) {
      pair = (m >> u32(pos)) & 3u;
    }
    rem = (rem << 2u) | pair;
    let t = (root << 2u) | 1u;
    root = root << 1u;
    if (rem >= t) {
      rem = rem - t;
      root = root | 1u;
    }
  }
  // value = (root / 2^25) * 2^(25 + (e - 26) / 2)
  return dt_pack_rne(0u, root, rem != 0u, 1000 + 25 + (e - 26) / 2);
}

fn dt_sqrt(x: f32) -> f32 {
  return bitcast<f32>(dt_sqrt_bits(bitcast<u32>(x)));
}

// ---- addition and multiplication immune to subnormal flushing -----------------------------------
// A driver may flush subnormal operands and results to zero (the WGSL spec allows it; NVIDIA's
// Vulkan driver does). dt_add_bits / dt_mul_bits return the IEEE binary32 result on any driver:
// the hardware's result when no operand is subnormal and the result is not zero or subnormal
// (where flushing cannot act, and + and * are correctly rounded), else a slow path that never
// lets a float operation see a subnormal: sums through operands scaled by 2^64 (exact), products
// from the exact 48-bit integer product of the significands, rounded by dt_pack_rne.

fn is_subnormal_bits(b: u32) -> bool {
  return (b & 0x7f800000u) == 0u && (b & 0x7fffffu) != 0u;
}

// |a| * 2^64 with a's sign, for finite a with |a| < 2^64, as a normal float or zero (a subnormal
// a is built from its integer significand: f32(m) * 2^-85, both exact).
fn dt_up64(b: u32) -> f32 {
  let ex = (b >> 23u) & 0xffu;
  if (ex == 0u) {
    let m = f32(b & 0x7fffffu) * bitcast<f32>(0x15000000u);
    return select(m, -m, (b >> 31u) == 1u);
  }
  return bitcast<f32>(b + (64u << 23u));
}

// x * 2^-64 rounded (exact here: see dt_add_bits) for x zero or normal, |x| < 2^64, as bits; a
// subnormal result is formed from its integer significand |x| * 2^85 (an exact integer < 2^23).
fn dt_down64(b: u32) -> u32 {
  let ex = (b >> 23u) & 0xffu;
  if (ex == 0u) {
    return b;
  }
  if (ex > 64u) {
    return b - (64u << 23u);
  }
  return (b & 0x80000000u) | u32(bitcast<f32>(b & 0x7fffffffu) * bitcast<f32>(0x6a000000u));
}

fn dt_add_bits(p: u32, q: u32) -> u32 {
  let r = bitcast<u32>(bitcast<f32>(p) + bitcast<f32>(q));
  let ap = p & 0x7fffffffu;
  let aq = q & 0x7fffffffu;
  let sp = is_subnormal_bits(p);
  let sq = is_subnormal_bits(q);
  // zero results from zeros or from x + (-x) are exact on any driver
  if (!sp && !sq && ((r & 0x7f800000u) != 0u || ap == 0u || aq == 0u || (p ^ q) == 0x80000000u)) {
    return r;
  }
  // Inf/NaN with a subnormal: the flushed subnormal cannot change the result
  if (ap >= 0x7f800000u || aq >= 0x7f800000u) {
    return r;
  }
  // an operand of magnitude >= 2^-101 dwarfs a subnormal or zero one (< 2^-126, under half its
  // ulp): the sum rounds to it
  if (ap >= 0x0d000000u && aq < 0x00800000u) {
    return p;
  }
  if (aq >= 0x0d000000u && ap < 0x00800000u) {
    return q;
  }
  if (ap >= 0x5f800000u || aq >= 0x5f800000u) {
    return r; // not reached: a tiny result needs two operands below 2^-101
  }
  // Both below 2^-101 (multiples of 2^-149): scaled by 2^64 they and their sum are normal, the
  // scaled sum rounds exactly as the true one where that is normal, and is exact where the true
  // sum is subnormal (a multiple of 2^-149 below 2^-126 is representable).
  return dt_down64(bitcast<u32>(dt_up64(p) + dt_up64(q)));
}

fn dt_sub_bits(p: u32, q: u32) -> u32 {
  if (is_nan_bits(q)) {
    return bitcast<u32>(bitcast<f32>(p) - bitcast<f32>(q));
  }
  return dt_add_bits(p, q ^ 0x80000000u);
}

fn dt_mul_bits(p: u32, q: u32) -> u32 {
  let r = bitcast<u32>(bitcast<f32>(p) * bitcast<f32>(q));
  let ap = p & 0x7fffffffu;
  let aq = q & 0x7fffffffu;
  let sp = is_subnormal_bits(p);
  let sq = is_subnormal_bits(q);
  if (!sp && !sq && ((r & 0x7f800000u) != 0u || ap == 0u || aq == 0u)) {
    return r;
  }
  let sign = (p ^ q) & 0x80000000u;
  if (ap > 0x7f800000u) {
    return p | 0x400000u;
  }
  if (aq > 0x7f800000u) {
    return q | 0x400000u;
  }
  if (ap == 0x7f800000u || aq == 0x7f800000u) {
    // Inf times a nonzero (subnormal) value
    return sign | 0x7f800000u;
  }
  if (ap == 0u || aq == 0u) {
    return sign;
  }
  // exact product of the 24-bit significands as hi * 2^24 + lo (12-bit halves, no overflow)
  let ua = dt_unpack(ap);
  let ub = dt_unpack(aq);
  let ah = ua.x >> 12u;
  let al = ua.x & 0xfffu;
  let bh = ub.x >> 12u;
  let bl = ub.x & 0xfffu;
  let mid = ah * bl + al * bh;
  var lo = al * bl + ((mid & 0xfffu) << 12u);
  let hi = ah * bh + (mid >> 12u) + (lo >> 24u);
  lo = lo & 0xffffffu;
  // the product is in [2^46, 2^48): its 26 leading bits and a sticky bit
  let e = i32(ua.y) + i32(ub.y) - 1000;
  if (hi >= 0x800000u) {
    return dt_pack_rne(sign, (hi << 2u) | (lo >> 22u), (lo & 0x3fffffu) != 0u, e + 47);
  }
  return dt_pack_rne(sign, (hi << 3u) | (lo >> 21u), (lo & 0x1fffffu) != 0u, e + 46);
}
