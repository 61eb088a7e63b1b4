// requires: lib/index, lib/float-bits, const/elementwise, const/batch-norm-modes
// batch-norm: the elementwise and per-channel steps of the fused batch-normalization ops
// (src/core/ops/batch-norm.ts gives each op's float32 operation sequence; the CPU twin is
// src/kernels/cpu/batch-norm.ts). Every step goes through lib/float-bits (correctly rounded
// + - * / and sqrt on any driver, subnormals included). The per-channel sums are not here: the host
// runs reduce-sum's summation tree (kernel-util sumTree) over x, dy or the term buffers this
// shader writes, so the reduction order is the engine's one tree over the rows in order.
// x is [R, C]; element i (global index base + i) has channel c = (base + i) % C.
//   MODE BN_CENTER_SQ   out[i] = d * d, d = a[i] - v[c]                   (v = mean)
//   MODE BN_GRAD_TERM   out[i] = b[i] * (a[i] - v[c])                     (a = x, b = dy, v = mean)
//   MODE BN_APPLY       out[i] = a[i] * v[c] + v[C + c]                   (v = [inv; shift])
//   MODE BN_GRAD_INPUT  out[i] = v[C + c] * ((b[i] - v[2C + c]) - (a[i] - v[c]) * v[3C + c])
//                                                                        (v = [mean; inv; mdy; k])
//   MODE BN_DIV         out[off + i] = a[i] / nf                          (i < n: mean, variance)
//   MODE BN_PARAMS_APPLY  channel i < C, a = moments [mean; var], b = gamma, v = beta:
//       r = 1 / sqrt(var + eps); inv = r * gamma (flags & 1, else r); mi = mean * inv;
//       shift = beta - mi (flags & 2, else -mi); out = [inv; shift]
//   MODE BN_PARAMS_GRAD   channel i < C, a = moments, b = sums [S(dy); S(dy (x - mean))], v = gamma:
//       r, inv as above; mdy = S(dy) / nf; k = (r * r) * (S(dy (x - mean)) / nf); out = [mean; inv; mdy; k]
// Bindings: 0 a, 1 b, 2 v (read), 3 out (read_write), 4 params. Elementwise modes run in chunks
// binding windows of a, b and out at the same offset; E consecutive elements per invocation.
// Dispatch: ceil(ceil(n / E) / WG) workgroups (per-channel modes: E = 1 element each), x*y*z grid.
// Reduction order: none here (see above).

override WG: u32 = 256u;
override MODE: u32 = 0u;

struct Params {
  n: u32,
  base: u32,
  C: u32,
  off: u32,
  nf: u32,
  eps: u32,
  flags: u32,
}

@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read> v: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

// r = 1 / sqrt(var + eps) and inv = r * gamma (or r) of channel c; gamma's bits are passed in.
fn bn_inv(c: u32, gamma: u32) -> vec2<u32> {
  let C = params.C;
  let r = dt_div_bits(0x3f800000u, dt_sqrt_bits(dt_add_bits(a[C + c], params.eps)));
  var inv = r;
  if ((params.flags & 1u) != 0u) {
    inv = dt_mul_bits(r, gamma);
  }
  return vec2<u32>(r, inv);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let C = params.C;
  if (MODE == BN_PARAMS_APPLY || MODE == BN_PARAMS_GRAD || MODE == BN_DIV) {
    let i = invocation_index(wid, nwg, lidx, WG);
    if (i >= params.n) {
      return;
    }
    if (MODE == BN_DIV) {
      out[params.off + i] = dt_div_bits(a[i], params.nf);
      return;
    }
    if (MODE == BN_PARAMS_APPLY) {
      let ri = bn_inv(i, b[i]);
      let mi = dt_mul_bits(a[i], ri.y);
      var shift = mi ^ 0x80000000u;
      if ((params.flags & 2u) != 0u) {
        shift = dt_sub_bits(v[i], mi);
      }
      out[i] = ri.y;
      out[C + i] = shift;
    } else {
      let ri = bn_inv(i, v[i]);
      out[i] = a[i];
      out[C + i] = ri.y;
      out[2u * C + i] = dt_div_bits(b[i], params.nf);
      out[3u * C + i] = dt_mul_bits(dt_mul_bits(ri.x, ri.x), dt_div_bits(b[C + i], params.nf));
    }
    return;
  }
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  let i1 = min(params.n, i0 + E);
  for (var i = i0; i < i1; i = i + 1u) {
    let c = (params.base + i) % C;
    var r: u32;
    if (MODE == BN_CENTER_SQ) {
      let d = dt_sub_bits(a[i], v[c]);
      r = dt_mul_bits(d, d);
    } else if (MODE == BN_GRAD_TERM) {
      r = dt_mul_bits(b[i], dt_sub_bits(a[i], v[c]));
    } else if (MODE == BN_APPLY) {
      r = dt_add_bits(dt_mul_bits(a[i], v[c]), v[C + c]);
    } else {
      let t = dt_mul_bits(dt_sub_bits(a[i], v[c]), v[3u * C + c]);
      r = dt_mul_bits(v[C + c], dt_sub_bits(dt_sub_bits(b[i], v[2u * C + c]), t));
    }
    out[i] = r;
  }
}
