// requires: lib/float-bits
// resize-bilinear: TensorFlow 2 bilinear resize (half-pixel centers, no antialias), NHWC, one
// invocation per output (n, y, x, c), following the float32 step list of
// src/core/ops/resize-bilinear.ts exactly (every + - * / separately rounded; floor/ceil and
// integer <-> float conversions exact for sizes < 2^23):
//   per axis: scale = f32(in / out); src = f32(f32(f32(i) + 0.5) * scale) - 0.5;
//             fl = floor(src); lo = clamp(int(fl), 0, in - 1); hi = min(int(ceil(src)), in - 1);
//             lerp = src - fl
//   top = tl + (tr - tl) * lx; bottom = bl + (br - bl) * lx; out = top + (bottom - top) * ly,
//   each product through `rounded` (lib/float-bits: a no-op unless EXACT_GUARD), so no driver
//   may fuse a product into the following add.
// Bindings: 0 x (read, f32), 1 out (read_write, f32), 2 params.
// Dispatch: ceil(n / 64) workgroups of 64, x*y*z grid. Reduction order: none.

struct Params {
  total: u32,
  H: u32,
  W: u32,
  C: u32,
  outH: u32,
  outW: u32,
  scaleH: f32,
  scaleW: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

struct Axis {
  lo: u32,
  hi: u32,
  lerp: f32,
}

fn axis(i: u32, size: u32, scale: f32) -> Axis {
  let a = f32(i) + 0.5;
  let b = rounded(a * scale);
  let src = b - 0.5;
  let fl = floor(src);
  let lo = u32(clamp(i32(fl), 0i, i32(size) - 1i));
  let hi = u32(min(i32(ceil(src)), i32(size) - 1i));
  return Axis(lo, hi, src - fl);
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
  let ay = axis(yo, params.H, params.scaleH);
  let ax = axis(xo, params.W, params.scaleW);
  let row0 = (n * params.H + ay.lo) * params.W;
  let row1 = (n * params.H + ay.hi) * params.W;
  let tl = x[(row0 + ax.lo) * C + c];
  let tr = x[(row0 + ax.hi) * C + c];
  let bl = x[(row1 + ax.lo) * C + c];
  let br = x[(row1 + ax.hi) * C + c];
  let top = tl + rounded((tr - tl) * ax.lerp);
  let bottom = bl + rounded((br - bl) * ax.lerp);
  out[i] = top + rounded((bottom - top) * ay.lerp);
}
