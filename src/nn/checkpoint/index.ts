/**
 * Exact-resume checkpoints (`dt.checkpoint`): listing, finding and verifying the checkpoints that
 * `fit(data, { checkpoint })` writes, to pass one to `fit`'s `resumeFrom`.
 * @privateRemarks See writer.ts for the write sequence, reader.ts for verification, restore.ts for
 * what a resume restores. Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { type CheckpointOptions, type ResumeSource } from './checkpointer.ts';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, listCheckpoints, type CheckpointEntry } from './layout.ts';
export { findLatestCheckpoint, readCheckpoint, type LoadedCheckpoint, type SkippedCheckpoint } from './reader.ts';
export { type CheckpointState } from './state.ts';
export { type WrittenCheckpoint } from './writer.ts';
