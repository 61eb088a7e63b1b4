// requires: lib/index
// conv2d-patches: the im2col matrix of conv2d (src/kernels/cpu/conv2d.ts), NHWC, for images
// [nBegin, nBegin + nCount) and patch columns [kBegin, kBegin + kCount):
//   out[p, kl] = x[n, oh*sH + kh - padTop, ow*sW + kw - padLeft, c]   or +0 outside the image,
//   p = ((n - nBegin)*outH + oh)*outW + ow,  k = kBegin + kl = (kh*kW + kw)*C + c.
// A +0 term adds nothing to a sum that starts at +0, so padding keeps its index in the
// reduction exactly as the CPU's zero-filled patches do. Used by conv2d (patches @ w) and
// conv2dGradFilter (patches^T @ dy).
// Bindings: 0 x (read, words), 1 out (read_write, words), 2 params.
// Dispatch: ceil(n / WG) workgroups, x*y*z grid; one element each. Reduction order: none.

override WG: u32 = 256u;

struct Params {
  n: u32,
  H: u32,
  W: u32,
  C: u32,
  outH: u32,
  outW: u32,
  kH: u32,
  kW: u32,
  sH: u32,
  sW: u32,
  padTop: u32,
  padLeft: u32,
  nBegin: u32,
  kBegin: u32,
  kCount: u32,
  pad0: u32,
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
  let kl = i % params.kCount;
  let p = i / params.kCount;
  let k = params.kBegin + kl;
  let c = k % params.C;
  let t = k / params.C;
  let kw = t % params.kW;
  let kh = t / params.kW;
  let ow = p % params.outW;
  let q = p / params.outW;
  let oh = q % params.outH;
  let n = q / params.outH + params.nBegin;
  // Unsigned wrap-around makes "before the image" indices large, so one bound check suffices.
  let ih = oh * params.sH + kh - params.padTop;
  let iw = ow * params.sW + kw - params.padLeft;
  var v = 0u;
  if (ih < params.H && iw < params.W) {
    v = x[((n * params.H + ih) * params.W + iw) * params.C + c];
  }
  out[i] = v;
}
