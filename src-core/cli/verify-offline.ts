/** The offline checks shared by stregister and stverify: does this receipt (or commit) pay this
 *  invoice? Follows reference/funder.md §2.3–§2.4, stricter than the original's stverify (§6.5):
 *  currency and isComplete are checked too. */
import { nodeBackend } from '../crypto/backend.node.ts';
import { parseCommit, parseInvoice, parseReceipt } from '../files/index.ts';
import { type CommitProblem, type ReceiptProblem, checkCommitForInvoice, checkReceiptForInvoice } from '../proto/index.ts';
import { type CommandSpec, type OptionSpec, type Parsed, CliError, UsageError } from './args.ts';
import { loadFile } from './file-io.ts';

export const invoiceOption: OptionSpec = { long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice file' };

export const verifyReceiptCommand: CommandSpec = {
  name: 'verify-receipt',
  help: 'check that a receipt proves the payment of an invoice',
  options: [invoiceOption, { long: 'receipt', short: 'r', value: 'FILE', required: true, help: 'the receipt file' }],
};

export const verifyCommitCommand: CommandSpec = {
  name: 'verify-commit',
  help: 'check that a commit pays an invoice (the seller can then collect)',
  options: [invoiceOption, { long: 'commit', short: 'c', value: 'FILE', required: true, help: 'the commit file' }],
};

const get = (p: Parsed, name: string): string => {
  const v = p.values.get(name);
  if (v === undefined) throw new UsageError(`missing required option --${name}`);
  return v;
};

function problemText(problem: ReceiptProblem | CommitProblem, what: 'receipt' | 'commit', amounts: { paid: bigint; asked: bigint; currency: string; invoiceCurrency: string }): string {
  switch (problem) {
    case 'invoice-id-mismatch': return `the ${what} is for another invoice (the invoice ids differ)`;
    case 'currency-mismatch': return `the ${what} is in currency ${JSON.stringify(amounts.currency)}, the invoice in ${JSON.stringify(amounts.invoiceCurrency)}`;
    case 'amount-mismatch': return `the ${what} is for a total of ${amounts.paid}, the invoice asks for ${amounts.asked}`;
    case 'not-complete': return `the ${what} is for an incomplete payment (isComplete is false)`;
    case 'bad-signature': return `the ${what}'s signature is not valid for the invoice's seller key`;
  }
}

/** Prints `Receipt is valid!` or throws CliError with the one-line reason. */
export async function verifyReceiptFiles(p: Parsed, out: (text: string) => void): Promise<void> {
  const invoice = await loadFile(get(p, 'invoice'), 'invoice', parseInvoice);
  const receipt = await loadFile(get(p, 'receipt'), 'receipt', parseReceipt);
  const problem = checkReceiptForInvoice(nodeBackend, invoice, receipt);
  if (problem !== undefined) {
    throw new CliError(`invalid receipt: ${problemText(problem, 'receipt', {
      paid: receipt.totalDestPayment, asked: invoice.totalDestPayment, currency: receipt.currency, invoiceCurrency: invoice.currency,
    })}`);
  }
  out('Receipt is valid!');
}

/** Prints `Commit is valid!` or throws CliError with the one-line reason. */
export async function verifyCommitFiles(p: Parsed, out: (text: string) => void): Promise<void> {
  const invoice = await loadFile(get(p, 'invoice'), 'invoice', parseInvoice);
  const commit = await loadFile(get(p, 'commit'), 'commit', parseCommit);
  const problem = checkCommitForInvoice(nodeBackend, invoice, commit);
  if (problem !== undefined) {
    throw new CliError(`invalid commit: ${problemText(problem, 'commit', {
      paid: commit.totalDestPayment, asked: invoice.totalDestPayment, currency: commit.currency, invoiceCurrency: invoice.currency,
    })}`);
  }
  out('Commit is valid!');
}
