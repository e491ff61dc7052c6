/** The files that make up one node database (docs/store.md §Files). */

export type StoreFiles = ReturnType<typeof storeFiles>;

export function storeFiles(path: string) {
  return {
    db: path,
    journal: `${path}.oflog`,
    lock: `${path}.lock`,
    checkpointTmp: `${path}.checkpoint.tmp`,
    journalNext: `${path}.oflog.next`,
    journalTmp: `${path}.oflog.tmp`,
    initTmp: `${path}.init.tmp`,
  } as const;
}
