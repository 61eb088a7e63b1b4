/*
 * Reference outputs of the host C library for the randomness layer's ports (run by glibc-check.ts, not by vitest).
 *
 * Writes little-endian uint32 records into OUTDIR:
 *   logf-tf.bin     2^23 words: bits of logf(u1_k),           u1_k = max(k * 2^-23, 1e-7f)      (TF Box-Muller domain)
 *   sincosf-tf.bin  2^23 pairs: bits of sincosf(v1_k) sin,cos, v1_k = (float)(2*M_PI * (k * 2^-23)) (TF Box-Muller domain)
 *   logf-rand.bin   NRAND pairs (input bits, output bits) for random positive floats (normal, subnormal, 0, inf)
 *   sincosf-rand.bin NRAND triples (input bits, sin bits, cos bits) for random |y| < 120
 *   fmaf.bin        NFMA quads (a, b, c, fmaf(a,b,c)) for random, near-cancelling and subnormal-result triples
 * Build: gcc -O2 -std=gnu11 -fno-builtin -ffp-contract=off glibc-check.c -o glibc-check -lm
 */
#define _GNU_SOURCE /* sincosf */
#include <gnu/libc-version.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K (1u << 23)
#define NRAND (1u << 22)
#define NFMA (1u << 22)

static uint64_t sm_state = 0x243f6a8885a308d3ull;
static uint64_t splitmix64(void) {
  uint64_t z = (sm_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static uint32_t rnd32(void) { return (uint32_t)(splitmix64() >> 32); }
static uint32_t bits_of(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float float_of(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

static const uint32_t specials[] = {0, 0x7f800000, 0x3f800000, 0x00800000, 0x7f7fffff, 1, 0x3f7fffff, 0x3f800001};
#define NSPECIAL (sizeof specials / sizeof specials[0])

static FILE *open_out(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) { perror(path); exit(1); }
  return f;
}
static void put(FILE *f, uint32_t w) { fwrite(&w, 4, 1, f); }

/* A random finite float with a uniformly chosen exponent in [emin, emax] (biased) and random sign if sign < 0. */
static float rand_float(int emin, int emax, int sign) {
  uint32_t r = rnd32();
  uint32_t e = (uint32_t)(emin + (int)(rnd32() % (uint32_t)(emax - emin + 1)));
  uint32_t s = sign < 0 ? (r >> 31) : 0;
  return float_of((s << 31) | (e << 23) | (r & 0x7fffff));
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s OUTDIR\n", argv[0]); return 2; }
  const char *dir = argv[1];
  printf("glibc %s\n", gnu_get_libc_version());

  FILE *fl = open_out(dir, "logf-tf.bin");
  FILE *fs = open_out(dir, "sincosf-tf.bin");
  for (uint32_t k = 0; k < K; k++) {
    float u = (float)k * 0x1p-23f;                 /* exact */
    float u1 = u < 1.0e-7f ? 1.0e-7f : u;          /* TF BoxMullerFloat clamp */
    float v1 = (float)(2.0 * M_PI * (double)u);    /* TF: 2.0f * M_PI * Uint32ToFloat(x1) */
    float s, c;
    put(fl, bits_of(logf(u1)));
    sincosf(v1, &s, &c);
    put(fs, bits_of(s));
    put(fs, bits_of(c));
  }
  fclose(fl);
  fclose(fs);

  FILE *fr = open_out(dir, "logf-rand.bin");
  for (uint32_t i = 0; i < NRAND; i++) {
    uint32_t b;
    switch (i % 8) {
      case 0: b = rnd32() & 0x007fffff; break;                 /* subnormal or zero */
      case 1: b = (i / 8 < NSPECIAL) ? specials[i / 8] : (rnd32() & 0x7fffffff); break; /* specials, then any */
      default: b = bits_of(rand_float(1, 254, 1)); break;      /* positive normal */
    }
    put(fr, b);
    put(fr, bits_of(logf(float_of(b))));
  }
  fclose(fr);

  FILE *fsr = open_out(dir, "sincosf-rand.bin");
  for (uint32_t i = 0; i < NRAND; i++) {
    float y;
    do {
      y = (i % 4 == 0) ? rand_float(1, 0x85, -1) : ((float)(rnd32() >> 8) * 0x1p-24f * 240.0f - 120.0f);
    } while (!(fabsf(y) < 120.0f));
    float s, c;
    sincosf(y, &s, &c);
    put(fsr, bits_of(y));
    put(fsr, bits_of(s));
    put(fsr, bits_of(c));
  }
  fclose(fsr);

  FILE *ff = open_out(dir, "fmaf.bin");
  for (uint32_t i = 0; i < NFMA; i++) {
    float a, b, c;
    switch (i % 4) {
      case 0: /* arbitrary finite operands, any exponents */
        a = rand_float(0, 254, -1); b = rand_float(0, 254, -1); c = rand_float(0, 254, -1);
        break;
      case 1: /* moderate magnitudes, typical of polynomial evaluation */
        a = rand_float(100, 154, -1); b = rand_float(100, 154, -1); c = rand_float(100, 154, -1);
        break;
      case 2: { /* near-cancelling: c within a few ulps of -(a*b) */
        a = rand_float(90, 164, -1); b = rand_float(90, 164, -1);
        float p = -(a * b);
        int32_t d = (int32_t)(rnd32() % 9) - 4;
        c = float_of(bits_of(p) + (uint32_t)d);
        break;
      }
      default: /* tiny products: subnormal and underflowing results */
        a = rand_float(1, 80, -1); b = rand_float(1, 80, -1); c = rand_float(0, 30, -1);
        break;
    }
    put(ff, bits_of(a)); put(ff, bits_of(b)); put(ff, bits_of(c));
    put(ff, bits_of(fmaf(a, b, c)));
  }
  fclose(ff);
  return 0;
}
