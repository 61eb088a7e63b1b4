/**
 * The generated broadcasting loops are fresh: src/kernels/cpu/broadcast.gen.ts equals what
 * scripts/gen-cpu-broadcast.ts makes from its op table, and every op of the table has its loop.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROADCAST_OPS, GENERATED, generate } from '../../../scripts/gen-cpu-broadcast.ts';
import { BINARY } from '../../../src/kernels/cpu/broadcast.gen.ts';

describe('CPU broadcasting loops', () => {
  it('broadcast.gen.ts is fresh (run `npx tsx scripts/gen-cpu-broadcast.ts` if this fails)', () => {
    expect(readFileSync(GENERATED, 'utf8') === generate(), 'src/kernels/cpu/broadcast.gen.ts is stale').toBe(true);
  });

  it('one loop per op of the table', () => {
    expect(Object.keys(BINARY)).toEqual(Object.keys(BROADCAST_OPS));
  });
});
