/**
 * Compares two saved runs of the example key by key, by float32 bits (the Keras example compares
 * with np.allclose; ditto promises identical bits). Reports "identical" or the first difference.
 */
interface SavedRun {
  history: Record<string, number[]>;
  bits: Record<string, string[]>;
  weightsDigest?: string;
  options?: Record<string, unknown>;
  backend?: string;
}

/** A human-readable verdict. */
export function compareHistories(previous: SavedRun, current: SavedRun): string {
  const lines: string[] = [];
  const po = JSON.stringify(previous.options ?? {});
  const co = JSON.stringify(current.options ?? {});
  if (po !== co) lines.push(`  note: the runs used different options (${po} vs ${co}), so differences are expected`);
  const keys = [...new Set([...Object.keys(previous.bits ?? {}), ...Object.keys(current.bits)])].sort();
  for (const key of keys) {
    const a = previous.bits?.[key];
    const b = current.bits[key];
    if (!a || !b) {
      lines.push(`  ${key}: present in only one run`);
      return [...lines, 'Result: DIFFERENT'].join('\n');
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i]) {
        lines.push(`  first difference: ${key}[epoch ${i}]: ${previous.history[key]?.[i]} (0x${a[i]}) vs ${current.history[key]?.[i]} (0x${b[i]})`);
        return [...lines, 'Result: DIFFERENT'].join('\n');
      }
    }
    lines.push(`  ${key}: ${n} values, identical bits`);
  }
  if (previous.weightsDigest !== undefined && previous.weightsDigest !== current.weightsDigest) {
    lines.push(`  weights digest differs: ${previous.weightsDigest} vs ${current.weightsDigest}`);
    return [...lines, 'Result: DIFFERENT'].join('\n');
  }
  lines.push(`  weights digest: identical (${current.weightsDigest})`);
  lines.push(`Result: IDENTICAL (backend ${previous.backend} then ${current.backend})`);
  return lines.join('\n');
}
