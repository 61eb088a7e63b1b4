/**
 * Exact-resume checkpoints (see writer.ts for the write sequence, reader.ts for verification,
 * restore.ts for what a resume restores): the public pieces, as `dt.checkpoint`.
 * Part of src/nn: imports src/core only.
 */
export { type CheckpointOptions, type ResumeSource } from './checkpointer.ts';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, listCheckpoints, type CheckpointEntry } from './layout.ts';
export { findLatestCheckpoint, readCheckpoint, type LoadedCheckpoint, type SkippedCheckpoint } from './reader.ts';
export { type CheckpointState } from './state.ts';
export { type WrittenCheckpoint } from './writer.ts';
