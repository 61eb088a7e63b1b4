// requires: lib/float-bits, const/sum-chunk
// conv2d-grad-filter: the filter gradient of conv2d (NHWC, filter [kH, kW, C, F]) reading x and
// dy in place (no patch matrix):
//   dw[kh,kw,c,f] = S over p = (n*outH + oh)*outW + ow of x[n, oh*sH+kh*dH-padTop, ow*sW+kw*dW-padLeft, c] * dy[n,oh,ow,f]
// A term whose x element lies in the padding enters as +0 * dy, as on the CPU (bits of skipping it).
// Reduction order (src/core/reduction-order.ts): invocation group z = g sums the positions
// p in [g*G, min(P, (g+1)*G)) in the two-level streaming form: chunk = +0 plus f32(x * dy) for
// 256 consecutive p in order, total = +0 plus the chunk sums in order, each step rounded to f32
// (products through `rounded4`: EXACT_GUARD pipelines). With G = P <= 65536 that is S itself;
// with G = 256 (the host's choice for long reductions, for parallelism) each group writes one
// level-1 chunk sum to a partial buffer at g*partStride, and the host finishes the tree with
// reduce-sum passes.
// Tiling: each invocation computes TK consecutive k rows (k = (kh*kW + kw)*C + c; TK = 8, or K
// when K <= 12) x 8 channels f (2 vec4 accumulators per row) of one group, reading TK x words and
// 8 dy words per position.
// Rows beyond K and channels beyond F are computed on clamped indices and never stored.
// Bindings: 0 x (read, f32), 1 dy (read, f32), 2 out (read_write, f32), 3 params.
// Dispatch: (ceil(nKT * groups / WG), ceil(F / 8), 1) workgroups of WG invocations, nKT =
// ceil(K / TK); invocation l (+ lBase, for dispatches split at maxComputeWorkgroupsPerDimension)
// takes row tile l % nKT of group l / nKT; workgroup y is the channel tile.

override WG: u32 = 64u;
// k rows per invocation: 8, or K itself for K <= 12 (a pipeline per such K: no idle rows)
override TK: u32 = 8u;
const MAX_TK: u32 = 12u;

struct Params {
  inH: u32,
  inW: u32,
  C: u32,
  F: u32,
  outH: u32,
  outW: u32,
  kH: u32,
  kW: u32,
  sH: u32,
  sW: u32,
  padTop: u32,
  padLeft: u32,
  P: u32,
  K: u32,
  G: u32,
  groups: u32,
  lBase: u32,
  cOff: u32,
  partStride: u32,
  pad0: u32,
  // dilations: row k's tap (kh, kw) reads x at (oh*sH + kh*dH - padTop, ow*sW + kw*dW - padLeft)
  dH: u32,
  dW: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = params;
  // Invocation l = (wid.x*WG + lid) + lBase takes row tile l % nKT of group l / nKT.
  let nKT = (p.K + TK - 1u) / TK;
  let l = wid.x * WG + lid + p.lBase;
  let g = l / nKT;
  let k0 = (l % nKT) * TK;
  if (g >= p.groups) {
    return;
  }
  let f0 = wid.y * 8u;
  let p0 = g * p.G;
  let p1 = min(p.P, p0 + p.G);
  // Each row's tap as signed offsets from (oh*sH, ow*sW), and its channel.
  var dh: array<i32, MAX_TK>;
  var dw: array<i32, MAX_TK>;
  var ch: array<u32, MAX_TK>;
  // (from k0 stepping: integer division is slow on lavapipe; rows beyond K repeat the last one)
  var c = k0 % p.C;
  var kw = (k0 / p.C) % p.kW;
  var kh = (k0 / p.C) / p.kW;
  for (var i = 0u; i < TK; i = i + 1u) {
    ch[i] = c;
    dh[i] = i32(kh * p.dH) - i32(p.padTop);
    dw[i] = i32(kw * p.dW) - i32(p.padLeft);
    if (k0 + i + 1u < p.K) {
      c = c + 1u;
      if (c == p.C) {
        c = 0u;
        kw = kw + 1u;
        if (kw == p.kW) {
          kw = 0u;
          kh = kh + 1u;
        }
      }
    }
  }
  // The channel slice of dy, clamped (channels beyond F are never stored).
  var fc: array<u32, 8>;
  for (var h = 0u; h < 8u; h = h + 1u) {
    fc[h] = min(f0 + h, p.F - 1u);
  }
  var acc: array<vec4<f32>, 2 * MAX_TK>;
  var tot: array<vec4<f32>, 2 * MAX_TK>;
  for (var i = 0u; i < 2u * TK; i = i + 1u) {
    acc[i] = vec4<f32>(0.0);
    tot[i] = vec4<f32>(0.0);
  }
  // Position p0 as (n, oh, ow), advanced incrementally.
  var ow = p0 % p.outW;
  var oh = (p0 / p.outW) % p.outH;
  var n = p0 / (p.outW * p.outH);
  var kc = 0u;
  let xLast = arrayLength(&x) - 1u;
  for (var q = p0; q < p1; q = q + 1u) {
    let db = q * p.F;
    let d0 = vec4<f32>(dy[db + fc[0]], dy[db + fc[1]], dy[db + fc[2]], dy[db + fc[3]]);
    let d1 = vec4<f32>(dy[db + fc[4]], dy[db + fc[5]], dy[db + fc[6]], dy[db + fc[7]]);
    let ih0 = i32(oh * p.sH);
    let iw0 = i32(ow * p.sW);
    let nb = n * p.inH;
    for (var i = 0u; i < TK; i = i + 1u) {
      let ih = ih0 + dh[i];
      let iw = iw0 + dw[i];
      let inside = ih >= 0i && iw >= 0i && u32(ih) < p.inH && u32(iw) < p.inW;
      let o = ((nb + u32(ih)) * p.inW + u32(iw)) * p.C + ch[i];
      let v = select(0.0, x[min(o, xLast)], inside);
      acc[2u * i] = acc[2u * i] + rounded4(v * d0);
      acc[2u * i + 1u] = acc[2u * i + 1u] + rounded4(v * d1);
    }
    kc = kc + 1u;
    if (kc == SUM_CHUNK) {
      kc = 0u;
      for (var i = 0u; i < 2u * TK; i = i + 1u) {
        tot[i] = tot[i] + acc[i];
        acc[i] = vec4<f32>(0.0);
      }
    }
    ow = ow + 1u;
    if (ow == p.outW) {
      ow = 0u;
      oh = oh + 1u;
      if (oh == p.outH) {
        oh = 0u;
        n = n + 1u;
      }
    }
  }
  // total + the last (partial) chunk; a chunk sum is never -0, so +0 + s = s.
  let base = p.cOff + g * p.partStride;
  for (var i = 0u; i < TK; i = i + 1u) {
    let k = k0 + i;
    if (k < p.K) {
      let v0 = tot[2u * i] + acc[2u * i];
      let v1 = tot[2u * i + 1u] + acc[2u * i + 1u];
      for (var h = 0u; h < 4u; h = h + 1u) {
        if (f0 + h < p.F) {
          out[base + k * p.F + f0 + h] = v0[h];
        }
        if (f0 + 4u + h < p.F) {
          out[base + k * p.F + f0 + 4u + h] = v1[h];
        }
      }
    }
  }
}
