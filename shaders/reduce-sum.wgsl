// requires: lib/index, const/sum-chunk
// reduce-sum: one level of the engine's summation tree (src/core/reduction-order.ts) over the
// middle axis of x viewed as [outer, R, inner]. Invocation (o, g, j), j fastest, sums the terms
// r in [g*G, min(R, (g+1)*G)) of x[(o*R + r)*inner + j] and writes out[(o*mg + g)*inner + j]:
//   float32: two-level streaming form: chunk = +0 plus SUM_CHUNK = 256 consecutive terms in
//            order, total = +0 plus the chunk sums in order (every step rounded to f32).
//            G = R <= 65536 gives S directly; G = 256 gives the level-1 partial sums, and the
//            host runs the same shader again on [outer, mg, inner] until mg = 1 (the tree).
//   int32:   wrapping sum of all R terms in order (G = R; uint8 words are summed as int32).
// Bindings: 0 x (read), 1 out (read_write), 2 params.
// Dispatch: ceil(outer * mg * inner / WG) workgroups, x*y*z grid.

override WG: u32 = 256u;

struct Params {
  n: u32,
  outer: u32,
  R: u32,
  inner: u32,
  G: u32,
  mg: u32,
  isInt: u32,
  outOff: u32,
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
  let inner = params.inner;
  let j = i % inner;
  let t = i / inner;
  let g = t % params.mg;
  let o = t / params.mg;
  let r0 = g * params.G;
  let r1 = min(params.R, r0 + params.G);
  let base = o * params.R * inner + j;
  if (params.isInt != 0u) {
    var acc = 0u;
    for (var r = r0; r < r1; r = r + 1u) {
      acc = acc + x[base + r * inner];
    }
    out[params.outOff + i] = acc;
    return;
  }
  var total = 0.0;
  for (var c0 = r0; c0 < r1; c0 = c0 + SUM_CHUNK) {
    let c1 = min(r1, c0 + SUM_CHUNK);
    var chunk = 0.0;
    var p = base + c0 * inner;
    for (var r = c0; r < c1; r = r + 1u) {
      chunk = chunk + bitcast<f32>(x[p]);
      p = p + inner;
    }
    total = total + chunk;
  }
  out[params.outOff + i] = bitcast<u32>(total);
}
