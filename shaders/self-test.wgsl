// requires: lib/float-bits
// self-test: the float32 operations whose exactness the WGSL spec does not promise, on fixed
// tricky inputs; the host compares with the CPU's correctly rounded results (self-test.ts).
// For element i: out[7i] = dt_div(a, b), out[7i+1] = dt_sqrt(|a|) (our integer-arithmetic
// division and root, which every kernel uses), out[7i+2] = a*b + c (two roundings unless
// the driver contracts it into an FMA), out[7i+3] = a + b, out[7i+4] = a * b, out[7i+5] = a - c,
// out[7i+6] = rounded(a*b) + c (the guarded form; with EXACT_GUARD it must be separately rounded).
// Bindings: 0 a, 1 b, 2 c (read, f32), 3 out (read_write, f32), 4 params.
// Dispatch: ceil(n / 64) workgroups of 64. Reduction order: none.

// With MULADD_ONLY only out[7i+2] = a*b + c is written (see main).
override MULADD_ONLY: bool = false;

struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> c: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let x = a[i];
  let y = b[i];
  let z = c[i];
  if (MULADD_ONLY) {
    // the contraction witness alone: with x * y used nowhere else, a driver that fuses a
    // single-use product into an FMA does it here (the full form below shares x * y)
    out[7u * i + 2u] = x * y + z;
    return;
  }
  out[7u * i] = dt_div(x, y);
  out[7u * i + 1u] = dt_sqrt(bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu));
  out[7u * i + 2u] = x * y + z;
  out[7u * i + 3u] = x + y;
  out[7u * i + 4u] = x * y;
  out[7u * i + 5u] = x - z;
  out[7u * i + 6u] = rounded(x * y) + z;
}
