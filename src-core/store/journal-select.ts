/** Which journal files an open replays, given the database's generation (docs/store.md §Journal). */
import { StoreError } from './errors.ts';
import type { ParsedJournal } from './journal-format.ts';
import type { StoreFiles } from './store-files.ts';

export type ReadJournal = ParsedJournal & { readonly size: number };

export /** Which journals hold records the database at generation `g` lacks, in order. A journal of an
 *  older generation was folded in by the checkpoint that made `g` (stale). `journalNext` exists
 *  only while a checkpoint is being written: at g+1 it continues the journal at g (the database
 *  rename had not happened); at g the rename happened, and the journal it replaces is stale. */
function liveJournals(g: number, j1: ReadJournal | undefined, j2: ReadJournal | undefined, files: StoreFiles): ReadJournal[] {
  const corrupt = (detail: string): never => {
    throw new StoreError('journal-corrupt', `journals of ${files.db} do not fit the database (generation ${g}): ${detail}; refusing to open`, files.journal);
  };
  const live: ReadJournal[] = [];
  if (j1 !== undefined) {
    if (j1.generation > g) corrupt(`${files.journal} is at generation ${j1.generation}`);
    if (j1.generation === g) live.push(j1);
  }
  if (j2 !== undefined) {
    if (j2.generation === g + 1) {
      if (live.length === 0) corrupt(`${files.journalNext} is at generation ${j2.generation} but ${files.journal} is not at ${g}`);
      live.push(j2);
    } else if (j2.generation === g) {
      if (live.length !== 0) corrupt(`both journals are at generation ${g}`);
      live.push(j2);
    } else if (j2.generation > g + 1) {
      corrupt(`${files.journalNext} is at generation ${j2.generation}`);
    }
  }
  // appends reach the next journal only after every append to the previous one was durable
  if (live.length === 2 && (live[0] as ReadJournal).tornBytes !== 0) corrupt(`${files.journal} ends in a torn record yet ${files.journalNext} follows it`);
  return live;
}
