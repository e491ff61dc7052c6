/** Verifiable statements (docs/files.md "Statement"): build from a card's history and the
 *  friend's signed token, write and read the file, verify offline. Browser-safe. */
export * from './statement.ts';
export * from './file.ts';
export * from './verify.ts';
export * from './export.ts';
