// Counter-based generators of src/core/random (no bindings, no entry point), integer-only and
// bit-equal to philox4x32Into and threefry2x32Into (u32 arithmetic wraps modulo 2^32):
//  - philox4x32_10(c, k): Philox4x32-10 (TensorFlow), 10 rounds, key bumped before every round
//    but the first; the 32x32 -> 64-bit products from 16-bit halves as in src/core/random/philox.ts.
//  - threefry2x32_20(k, x): Threefry2x32-20 (JAX), rotations 13 15 26 6 / 17 29 16 24, key
//    injections every 4 rounds.

fn philox_mulhi(a: u32, b: u32) -> u32 {
  let ah = a >> 16u;
  let al = a & 0xffffu;
  let bh = b >> 16u;
  let bl = b & 0xffffu;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let carry = ((ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu)) >> 16u;
  return ah * bh + (lh >> 16u) + (hl >> 16u) + carry;
}

fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var r = 0u; r < 10u; r = r + 1u) {
    if (r > 0u) {
      k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
    }
    let lo0 = 0xd2511f53u * c.x;
    let hi0 = philox_mulhi(0xd2511f53u, c.x);
    let lo1 = 0xcd9e8d57u * c.z;
    let hi1 = philox_mulhi(0xcd9e8d57u, c.z);
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}

fn rotl32(x: u32, r: u32) -> u32 {
  return (x << r) | (x >> (32u - r));
}

fn threefry_r0(v: vec2<u32>) -> vec2<u32> {
  var x = v;
  x.x = x.x + x.y; x.y = rotl32(x.y, 13u) ^ x.x;
  x.x = x.x + x.y; x.y = rotl32(x.y, 15u) ^ x.x;
  x.x = x.x + x.y; x.y = rotl32(x.y, 26u) ^ x.x;
  x.x = x.x + x.y; x.y = rotl32(x.y, 6u) ^ x.x;
  return x;
}

fn threefry_r1(v: vec2<u32>) -> vec2<u32> {
  var x = v;
  x.x = x.x + x.y; x.y = rotl32(x.y, 17u) ^ x.x;
  x.x = x.x + x.y; x.y = rotl32(x.y, 29u) ^ x.x;
  x.x = x.x + x.y; x.y = rotl32(x.y, 16u) ^ x.x;
  x.x = x.x + x.y; x.y = rotl32(x.y, 24u) ^ x.x;
  return x;
}

fn threefry2x32_20(key: vec2<u32>, ctr: vec2<u32>) -> vec2<u32> {
  let k0 = key.x;
  let k1 = key.y;
  let k2 = k0 ^ k1 ^ 0x1bd11bdau;
  var x = ctr + vec2<u32>(k0, k1);
  x = threefry_r0(x); x = x + vec2<u32>(k1, k2 + 1u);
  x = threefry_r1(x); x = x + vec2<u32>(k2, k0 + 2u);
  x = threefry_r0(x); x = x + vec2<u32>(k0, k1 + 3u);
  x = threefry_r1(x); x = x + vec2<u32>(k1, k2 + 4u);
  x = threefry_r0(x); x = x + vec2<u32>(k2, k0 + 5u);
  return x;
}
