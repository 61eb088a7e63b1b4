// requires: lib/index, lib/float-bits, lib/pool, const/pool-modes
// pool2d-grad-windows: maxPool2dGrad (mode 0; mode 2 with reluMask) and avgPool2dGrad (mode 1), NHWC, for windows that
// do not overlap (sH >= kH and sW >= kW), one invocation per output window (n, oh, ow) and group
// of 4 channels: it writes every valid input position of its window once, so no position is
// written twice. With at most one window per position, the CPU's window-by-window sum
// (src/kernels/cpu/pool.ts) is dx = f32(+0 + term) for a covered position:
//   max: term = dy[n,oh,ow,c] at the window's first maximum (row-major scan of the valid
//        elements, NaN wins; lib/pool.wgsl), +0 (no term) elsewhere in the window; mode 2 (max
//        masked by relu's gradient, x > 0 ? dx : +0): +0 also at a maximum that is not > 0;
//   avg: term = f32(dy[n,oh,ow,c] / count) at every valid position.
// +0 + term differs from term only for term = -0, which becomes +0. Positions outside every
// window keep +0 from a fill the host records first (omitted when the windows tile the input).
// Bindings: 0 dy (read), 1 x (read; unused by avg, which binds dy twice), 2 out (read_write),
// 3 params. Dispatch: ceil(n / WG) workgroups, x*y*z grid, n = N*outH*outW*ceil(C/4)
// invocations. Reduction order: at most one term per output (see above).

override WG: u32 = 256u;
// = params.g.mode: a pipeline per mode
override MODE: u32 = 0u;

struct Params {
  g: PoolGeom,
  n: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// f32(+0 + v): v, except -0 -> +0.
fn plus_zero(v: f32) -> f32 {
  return select(v, 0.0, bitcast<u32>(v) == 0x80000000u);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= params.n) {
    return;
  }
  let g = params.g;
  let CG = (g.C + 3u) / 4u;
  let c0 = (i % CG) * 4u;
  let q = i / CG;
  let ow = q % g.outW;
  let q2 = q / g.outW;
  let oh = q2 % g.outH;
  let n = q2 / g.outH;
  let bd = pool_bounds(g, oh, ow);
  let c1 = min(g.C, c0 + 4u);
  for (var c = c0; c < c1; c = c + 1u) {
    let d = dy[q * g.C + c];
    if (MODE != POOL_AVG) {
      var best = 0u;
      var bh = 0u;
      var bw = 0u;
      var found = false;
      for (var ih = bd.x; ih < bd.y; ih = ih + 1u) {
        for (var iw = bd.z; iw < bd.w; iw = iw + 1u) {
          let v = x[((n * g.H + ih) * g.W + iw) * g.C + c];
          if (pool_takes(found, best, v)) {
            best = v;
            bh = ih;
            bw = iw;
            found = true;
          }
        }
      }
      let t = plus_zero(d);
      let keep = MODE != POOL_MAX_RELU || f32_positive_bits(best);
      for (var ih = bd.x; ih < bd.y; ih = ih + 1u) {
        for (var iw = bd.z; iw < bd.w; iw = iw + 1u) {
          out[((n * g.H + ih) * g.W + iw) * g.C + c] = select(0.0, t, keep && ih == bh && iw == bw);
        }
      }
    } else {
      let count = (bd.y - bd.x) * (bd.w - bd.z);
      let t = plus_zero(dt_div(d, f32(count)));
      for (var ih = bd.x; ih < bd.y; ih = ih + 1u) {
        for (var iw = bd.z; iw < bd.w; iw = iw + 1u) {
          out[((n * g.H + ih) * g.W + iw) * g.C + c] = t;
        }
      }
    }
  }
}
