/** stregister: the seller's offline tools (seeds/000_* "Sending funds"): create an invoice,
 *  and check the receipt a buyer hands back. */
import { fromBase64Url } from '../codec/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import {
  DEFAULT_CURRENCY, MAX_DESCRIPTION_BYTES, checkCurrency, formatInvoice, parseU128Decimal, parseUtcTimestamp,
} from '../files/index.ts';
import { INVOICE_ID_LEN, MAX_CURRENCY_BYTES } from '../proto/index.ts';
import { type CommandSpec, type Parsed, UsageError } from './args.ts';
import { saveFile } from './file-io.ts';
import { runProgram } from './program.ts';
import { verifyReceiptCommand, verifyReceiptFiles } from './verify-offline.ts';

const SPEC: CommandSpec = {
  name: 'stregister',
  help: 'Offset invoices: create one, verify the receipt that pays it',
  options: [],
  commands: [
    {
      name: 'gen-invoice',
      help: 'create an invoice with a random id',
      options: [
        { long: 'amount', short: 'a', value: 'AMOUNT', required: true, help: 'credits to be paid (a whole number)' },
        { long: 'public-key', short: 'p', value: 'KEY', required: true, help: "the seller node's public key (stctrl info public-key)" },
        { long: 'output', short: 'o', value: 'FILE', required: true, help: 'the invoice file to write' },
        { long: 'currency', short: 'c', value: 'CURRENCY', help: `currency name, 1 to ${MAX_CURRENCY_BYTES} bytes (default ${DEFAULT_CURRENCY})` },
        { long: 'description', short: 'd', value: 'TEXT', help: 'what is being sold, for the buyer to read' },
        { long: 'expires', value: 'TIME', help: 'UTC time after which the seller cancels it, e.g. 2026-12-31T23:59:59Z' },
        { long: 'force', flag: true, help: 'replace the output file if it exists' },
      ],
    },
    verifyReceiptCommand,
  ],
};

function get(p: Parsed, name: string): string {
  const v = p.values.get(name);
  if (v === undefined) throw new UsageError(`missing required option --${name}`);
  return v;
}

async function genInvoice(p: Parsed): Promise<void> {
  const amountText = get(p, 'amount');
  const amount = parseU128Decimal(amountText);
  if (!amount.ok) {
    throw new UsageError(amount.problem === 'out-of-range'
      ? `--amount: ${amountText} is out of range (at most 2^128-1)`
      : `--amount: expected a whole number of credits such as 60, got ${JSON.stringify(amountText)}`);
  }
  const keyText = get(p, 'public-key');
  const destPublicKey = keyText.length === 43 ? fromBase64Url(keyText) : undefined;
  if (destPublicKey === undefined || destPublicKey.length !== 32) {
    throw new UsageError(`--public-key: expected 43 base64url characters (32 bytes), got ${JSON.stringify(keyText)}`);
  }
  const currency = p.values.get('currency') ?? DEFAULT_CURRENCY;
  try {
    checkCurrency(currency);
  } catch {
    throw new UsageError(`--currency: expected 1 to ${MAX_CURRENCY_BYTES} bytes, got ${JSON.stringify(currency)}`);
  }
  const description = p.values.get('description');
  if (description !== undefined
    && (new TextEncoder().encode(description).length > MAX_DESCRIPTION_BYTES || /[\u0000-\u001f\u007f]/.test(description))) {
    throw new UsageError(`--description: expected at most ${MAX_DESCRIPTION_BYTES} bytes without control characters`);
  }
  const expiresText = p.values.get('expires');
  const expiresAt = expiresText === undefined ? undefined : parseUtcTimestamp(expiresText);
  if (expiresText !== undefined && expiresAt === undefined) {
    throw new UsageError(`--expires: expected a UTC time like 2026-12-31T23:59:59Z, got ${JSON.stringify(expiresText)}`);
  }
  const invoice = {
    invoiceId: nodeBackend.randomBytes(INVOICE_ID_LEN),
    currency,
    destPublicKey,
    totalDestPayment: amount.value,
    ...(description === undefined ? {} : { description }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
  await saveFile(get(p, 'output'), 'invoice', formatInvoice(invoice), p.flags.has('force'));
}

export async function main(argv: string[]): Promise<number> {
  return runProgram('stregister', SPEC, argv, async (p, io) => {
    switch (p.path[0]) {
      case 'gen-invoice':
        return genInvoice(p);
      case 'verify-receipt':
        return verifyReceiptFiles(p, io.out);
      default:
        throw new UsageError(`unknown command '${String(p.path[0])}'`);
    }
  });
}
