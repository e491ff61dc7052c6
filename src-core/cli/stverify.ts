/** stverify: offline verification of the artifacts a payment leaves behind — a receipt or a
 *  commit, against the invoice it pays (reference/funder.md §6.5). Unlike the original, a failed
 *  check exits non-zero. */
import { type CommandSpec, UsageError } from './args.ts';
import { runProgram } from './program.ts';
import { verifyCommitCommand, verifyCommitFiles, verifyReceiptCommand, verifyReceiptFiles } from './verify-offline.ts';
import { statementArgv, verifyStatementCommand, verifyStatementFile } from './verify-statement.ts';

const SPEC: CommandSpec = {
  name: 'stverify',
  help: 'Offset offline verification of receipts, commits and statements',
  options: [],
  commands: [verifyReceiptCommand, verifyCommitCommand, verifyStatementCommand],
};

export async function main(argv: string[]): Promise<number> {
  return runProgram('stverify', SPEC, statementArgv(argv), async (p, io) => {
    switch (p.path[0]) {
      case 'verify-receipt':
        return verifyReceiptFiles(p, io.out);
      case 'verify-commit':
        return verifyCommitFiles(p, io.out);
      case 'statement':
        return verifyStatementFile(p, io.out);
      default:
        throw new UsageError(`unknown command '${String(p.path[0])}'`);
    }
  });
}
