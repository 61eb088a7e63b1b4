/**
 * `dt.debug`: finding where two runs diverge. {@link trace} records a fingerprint (hash of the bits and statistics)
 * of every op's output; {@link readTrace} reads a trace file back; {@link diffTraces} names the first op whose
 * inputs agree and whose output differs. The command line `npx ditto diff` does the same for files. See
 * docs/divergence.md.
 * Part of src/core: imports nothing outside src/core.
 * @module
 */
export { trace, isTracing, finishEnvTrace, type TraceOptions, type TraceSummary } from './trace.ts';
export { readTrace, recordValues, TRACE_FORMAT_VERSION, type Trace, type TraceHeader, type TraceRecord } from './trace-format.ts';
export { diffTraces, formatTraceDiff, type TraceDiff, type RootCause, type Contamination, type OutputStats } from './trace-diff.ts';
export { compareElements, ulpDistance, type ElementDiff } from './ulps.ts';
export { fingerprint, type Fingerprint } from './fingerprint.ts';
export type { TracePhase } from './scope.ts';
