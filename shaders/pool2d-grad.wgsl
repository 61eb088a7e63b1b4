// requires: lib/index, lib/float-bits, lib/pool, const/pool-modes
// pool2d-grad: maxPool2dGrad (mode 0; mode 2 with reluMask) and avgPool2dGrad (mode 1), NHWC, one invocation per
// input position (n, ih, iw, c), a gather (no scatter-add), as src/kernels/cpu/pool.ts:
//   dx = +0, then for every window (oh, ow) containing the position, in row-major order:
//     max: if the window's first maximum (recomputed, NaN wins) is this position, dx += dy[n,oh,ow,c]
//     avg: dx += f32(dy[n,oh,ow,c] / count(oh, ow))
//   each add rounded to f32: the sequential sum the CPU's window-by-window loop produces.
//   mode 2 (max masked by relu's gradient): dx = +0 where x is not > 0 (NaN, zeros, negatives:
//   the bits of reluGrad(dx, x)), the max sum elsewhere.
// Bindings: 0 dy (read), 1 x (read; unused by avg, which binds dy twice), 2 out (read_write),
// 3 params. Dispatch: ceil(n / WG) workgroups, x*y*z grid.

override WG: u32 = 256u;

struct Params {
  g: PoolGeom,
  n: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// Whether (ih, iw) is the first maximum of window bd of image n, channel c.
fn is_argmax(g: PoolGeom, bd: vec4<u32>, n: u32, c: u32, ih: u32, iw: u32) -> bool {
  var best = 0u;
  var bh = 0u;
  var bw = 0u;
  var found = false;
  for (var h = bd.x; h < bd.y; h = h + 1u) {
    for (var w = bd.z; w < bd.w; w = w + 1u) {
      let v = x[((n * g.H + h) * g.W + w) * g.C + c];
      if (pool_takes(found, best, v)) {
        best = v;
        bh = h;
        bw = w;
        found = true;
      }
    }
  }
  return found && bh == ih && bw == iw;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= params.n) {
    return;
  }
  let g = params.g;
  if (g.mode == POOL_MAX_RELU && !f32_positive_bits(x[i])) {
    out[i] = 0.0;
    return;
  }
  let c = i % g.C;
  let q = i / g.C;
  let iw = q % g.W;
  let q2 = q / g.W;
  let ih = q2 % g.H;
  let n = q2 / g.H;
  // Windows oh with oh*sH - padTop <= ih < oh*sH - padTop + kH, likewise ow.
  let th = ih + g.padTop;
  let tw = iw + g.padLeft;
  var ohLo = 0u;
  if (th >= g.kH) {
    ohLo = (th - g.kH) / g.sH + 1u;
  }
  let ohHi = min(g.outH, th / g.sH + 1u);
  var owLo = 0u;
  if (tw >= g.kW) {
    owLo = (tw - g.kW) / g.sW + 1u;
  }
  let owHi = min(g.outW, tw / g.sW + 1u);
  var acc = 0.0;
  for (var oh = ohLo; oh < ohHi; oh = oh + 1u) {
    for (var ow = owLo; ow < owHi; ow = ow + 1u) {
      let o = ((n * g.outH + oh) * g.outW + ow) * g.C + c;
      let bd = pool_bounds(g, oh, ow);
      if (g.mode != POOL_AVG) {
        if (is_argmax(g, bd, n, c, ih, iw)) {
          acc = acc + dy[o];
        }
      } else {
        let count = (bd.y - bd.x) * (bd.w - bd.z);
        acc = acc + dt_div(dy[o], f32(count));
      }
    }
  }
  out[i] = acc;
}
