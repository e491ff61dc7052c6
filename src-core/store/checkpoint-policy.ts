/** When a checkpoint falls due (docs/store.md §Checkpoints). */

export interface CheckpointPolicy {
  /** The journal is due for a checkpoint once it holds this many bytes... (default 1 MiB) */
  readonly minJournalBytes?: number;
  /** ...or this fraction of the database file, whichever is larger, so the cost of a checkpoint
   *  stays proportional to the events it absorbs (default 0.25)... */
  readonly journalToDbRatio?: number;
  /** ...but never more than this (bounds the replay at open; default 64 MiB). */
  readonly maxJournalBytes?: number;
  /** Due also once this many records wait in the journal (default 100,000). */
  readonly maxRecords?: number;
  /** Due also when the oldest unfolded append is this old (default 10 minutes). */
  readonly maxAgeMs?: number;
  /** If the owner lets the journal grow to this multiple of the due threshold without calling
   *  checkpoint(), the store folds it itself (records move into the database; default 4). */
  readonly autoFoldFactor?: number;
}

export const DEFAULT_CHECKPOINT_POLICY: Required<CheckpointPolicy> = {
  minJournalBytes: 1 << 20,
  journalToDbRatio: 0.25,
  maxJournalBytes: 64 << 20,
  maxRecords: 100_000,
  maxAgeMs: 10 * 60_000,
  autoFoldFactor: 4,
};

/** The journal size at which a checkpoint falls due, for a database file of `dbBytes`. */
export function dueThresholdBytes(p: Required<CheckpointPolicy>, dbBytes: number): number {
  return Math.min(p.maxJournalBytes, Math.max(p.minJournalBytes, p.journalToDbRatio * dbBytes));
}
