// requires: lib/index, lib/float-bits, lib/pool, const/pool-modes
// pool2d: maxPool2d (mode 0) and avgPool2d (mode 1), NHWC, one invocation per output window
// (n, oh, ow) and group of 4 channels c (the window geometry is computed once for the 4), as
// src/kernels/cpu/pool.ts:
//   max: the first maximum of the window's valid elements scanned row-major (NaN wins), 0 for an
//        empty window;
//   avg: acc = +0 plus the valid elements in row-major order (each add rounded to f32, a
//        sequential sum as on the CPU, which equals the summation tree S for windows of at most
//        256 elements; larger windows are summed sequentially on both backends), then
//        acc / count (lib/float-bits dt_div: correctly rounded on any driver).
// Bindings: 0 x (read, f32 words), 1 out (read_write), 2 params.
// Dispatch: ceil(n / WG) workgroups, x*y*z grid, n = N*outH*outW*ceil(C/4) invocations.

override WG: u32 = 256u;
// = params.g.mode: a pipeline per mode
override MODE: u32 = 0u;

struct Params {
  g: PoolGeom,
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

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
    let o = q * g.C + c;
    if (MODE == POOL_MAX) {
      var best = 0u;
      var found = false;
      for (var ih = bd.x; ih < bd.y; ih = ih + 1u) {
        for (var iw = bd.z; iw < bd.w; iw = iw + 1u) {
          let v = x[((n * g.H + ih) * g.W + iw) * g.C + c];
          if (pool_takes(found, best, v)) {
            best = v;
            found = true;
          }
        }
      }
      out[o] = best;
    } else {
      var acc = 0.0;
      for (var ih = bd.x; ih < bd.y; ih = ih + 1u) {
        for (var iw = bd.z; iw < bd.w; iw = iw + 1u) {
          acc = acc + bitcast<f32>(x[((n * g.H + ih) * g.W + iw) * g.C + c]);
        }
      }
      let count = (bd.y - bd.x) * (bd.w - bd.z);
      out[o] = bitcast<u32>(dt_div(acc, f32(count)));
    }
  }
}
