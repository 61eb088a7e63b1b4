// requires: lib/float-bits, const/image-transform
// image-transform: TensorFlow's ImageProjectiveTransformV3, NHWC, one invocation per output
// (n, yo, xo, c), following the float32 step list of src/core/ops/image-transform.ts exactly:
//   k = t6 X + t7 Y + 1; ix = (t0 X + t1 Y + t2) / k; iy = (t3 X + t4 Y + t5) / k (k == 0 or a
//   non-finite ix / iy: fill); x = map(ix, W), y = map(iy, H) by fill mode (TF MapCoordinate);
//   outside [0, W-1] x [0, H-1] (constant only): fill; nearest: round half away from zero;
//   bilinear: top = wx0 v00 + wx1 v01, bot = wx0 v10 + wx1 v11, out = wy0 top + wy1 bot, reads
//   outside the image giving fill.
// Every + - * separately rounded (each intermediate result goes through `keep` below,
// so no driver may fuse or reassociate them); every division is dt_div
// (correctly rounded in integer arithmetic, as the CPU's Math.fround(a / b)); floor / trunc and
// small integer <-> float conversions are exact; NaN / infinity are detected from the bits; the
// coordinate comparisons are decided on the bits (f32_lt), immune to subnormal flushing.
// Bindings: 0 x (read, f32), 1 transforms (read, f32 [1 or N, 8]), 2 out (read_write, f32), 3 params.
// Dispatch: ceil(n / 64) workgroups of 64, x*y*z grid. Reduction order: none.

struct Params {
  total: u32,
  H: u32,
  W: u32,
  C: u32,
  outH: u32,
  outW: u32,
  mode: u32,
  bilinear: u32,
  perImage: u32,
  fill: f32,
  zero: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> tr: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// Rounding barrier, always on (not only under EXACT_GUARD) and around every intermediate result:
// lavapipe was seen fusing this kernel's a*b + c*d into an FMA and rewriting (s - v) - 1 although the
// backend's self-test found no contraction. v's bits xor params.zero (a uniform the host sets to 0):
// the identity for every bit pattern, NaNs included, that no compiler can see through at pipeline
// creation, so each operation is rounded alone.
fn keep(v: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(v) ^ params.zero);
}

fn lt(a: f32, b: f32) -> bool {
  return f32_lt(bitcast<u32>(a), bitcast<u32>(b));
}

fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// TensorFlow's MapCoordinate for one axis of length len (see the op file for the steps).
fn map_coordinate(v_in: f32, len: u32) -> f32 {
  var v = v_in;
  let lenf = f32(len);
  let hi = f32(len - 1u);
  let mode = params.mode;
  if (mode == FILL_CONSTANT) {
    return v;
  }
  if (mode == FILL_REFLECT) {
    if (lt(v, 0.0)) {
      if (len <= 1u) {
        v = 0.0;
      } else {
        let s = 2.0 * lenf;
        v = keep(keep(s * trunc(dt_div(-v, s))) + v);
        v = select(keep(-v - 1.0), keep(v + s), lt(v, -lenf));
      }
    } else if (lt(hi, v)) {
      if (len <= 1u) {
        v = 0.0;
      } else {
        let s = 2.0 * lenf;
        v = keep(v - keep(s * trunc(dt_div(v, s))));
        if (!lt(v, lenf)) {
          v = keep(keep(s - v) - 1.0);
        }
      }
    }
  } else if (mode == FILL_WRAP) {
    if (lt(v, 0.0)) {
      if (len <= 1u) {
        v = 0.0;
      } else {
        let s = hi;
        v = keep(v + keep(lenf * keep(trunc(dt_div(-v, s)) + 1.0)));
      }
    } else if (lt(hi, v)) {
      if (len <= 1u) {
        v = 0.0;
      } else {
        let s = hi;
        v = keep(v - keep(lenf * trunc(dt_div(v, s))));
      }
    }
  }
  // Eigen's clamp: v < 0 ? 0 : (len - 1 < v ? len - 1 : v) (-0 stays -0)
  return select(select(v, hi, lt(hi, v)), 0.0, lt(v, 0.0));
}

// Round half away from zero for v >= 0.
fn round_half_up(v: f32) -> u32 {
  let fl = floor(v);
  return u32(fl) + select(0u, 1u, !lt(keep(v - fl), 0.5));
}

fn sample_at(base: u32, r: u32, q: u32, c: u32) -> f32 {
  if (r < params.H && q < params.W) {
    return x[base + (r * params.W + q) * params.C + c];
  }
  return params.fill;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= params.total) {
    return;
  }
  let C = params.C;
  let c = i % C;
  let q = i / C;
  let xo = q % params.outW;
  let q2 = q / params.outW;
  let yo = q2 % params.outH;
  let n = q2 / params.outH;
  let t = select(0u, 8u * n, params.perImage == 1u);
  let X = f32(xo);
  let Y = f32(yo);
  let k = keep(keep(keep(tr[t + 6u] * X) + keep(tr[t + 7u] * Y)) + 1.0);
  if (bitcast<u32>(k) << 1u == 0u) {
    out[i] = params.fill;
    return;
  }
  let ix = dt_div(keep(keep(keep(tr[t] * X) + keep(tr[t + 1u] * Y)) + tr[t + 2u]), k);
  let iy = dt_div(keep(keep(keep(tr[t + 3u] * X) + keep(tr[t + 4u] * Y)) + tr[t + 5u]), k);
  if (!is_finite(ix) || !is_finite(iy)) {
    out[i] = params.fill;
    return;
  }
  let xm = map_coordinate(ix, params.W);
  let ym = map_coordinate(iy, params.H);
  if (lt(xm, 0.0) || lt(f32(params.W - 1u), xm) || lt(ym, 0.0) || lt(f32(params.H - 1u), ym)) {
    out[i] = params.fill;
    return;
  }
  let base = n * params.H * params.W * C;
  if (params.bilinear == 0u) {
    out[i] = sample_at(base, round_half_up(ym), round_half_up(xm), c);
    return;
  }
  let yf = floor(ym);
  let xf = floor(xm);
  let yc = yf + 1.0;
  let xc = xf + 1.0;
  let wx0 = keep(xc - xm);
  let wx1 = keep(xm - xf);
  let wy0 = keep(yc - ym);
  let wy1 = keep(ym - yf);
  let r0 = u32(yf);
  let q0 = u32(xf);
  let top = keep(keep(wx0 * sample_at(base, r0, q0, c)) + keep(wx1 * sample_at(base, r0, q0 + 1u, c)));
  let bot = keep(keep(wx0 * sample_at(base, r0 + 1u, q0, c)) + keep(wx1 * sample_at(base, r0 + 1u, q0 + 1u, c)));
  out[i] = keep(wy0 * top) + keep(wy1 * bot);
}
