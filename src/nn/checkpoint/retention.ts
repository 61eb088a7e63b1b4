/**
 * Removing checkpoints: a checkpoint directory is first renamed to a temporary name (so that an
 * interrupted deletion leaves a temporary, cleaned up later, never a half-deleted checkpoint) and
 * then deleted. `pruneCheckpoints` keeps the newest `keep` checkpoints up to the one just written
 * and removes older ones and those known to be stale (invalid ones skipped by the resume).
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir, temporaryPath } from '../durable-write.ts';
import { compareNewestFirst, listCheckpoints, parseCheckpointName } from './layout.ts';

/** Deletes the checkpoint directory `root/name` (rename to a temporary, fsync, delete). */
export function removeCheckpoint(root: string, name: string): void {
  const path = join(root, name);
  const doomed = temporaryPath(path);
  rmSync(doomed, { recursive: true, force: true });
  renameSync(path, doomed);
  syncDir(root);
  rmSync(doomed, { recursive: true, force: true });
}

/**
 * After `current` was written and verified: removes every checkpoint older than the newest `keep`
 * ones (current included), and every name in `stale`. Returns the removed names.
 */
export function pruneCheckpoints(root: string, current: string, keep: number, stale: Set<string>): string[] {
  const cur = parseCheckpointName(current)!;
  const ref = { name: current, path: join(root, current), ...cur };
  const removed: string[] = [];
  let kept = 1;
  for (const e of listCheckpoints(root)) {
    if (e.name === current) continue;
    const older = compareNewestFirst(ref, e) < 0;
    if (stale.has(e.name) || (older && kept >= keep)) {
      removeCheckpoint(root, e.name);
      stale.delete(e.name);
      removed.push(e.name);
    } else if (older) {
      kept++;
    }
  }
  return removed;
}
