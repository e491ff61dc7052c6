/** stctrl: the command-line app (seeds/000, docs/app-protocol.md "stctrl"). Connects to a node
 *  with the app's identity and the node's ticket, over TCP and the secure channel, then runs one
 *  command through the app protocol and prints what the tutorial shows. */
import { historyCommand, runHistory, runStatement, statementCommand } from './stctrl-history.ts';
import {
  type AppClient, AppConnectionClosedError, AppRequestError, type AppRequest, AppClient as Client, DEFAULT_CURRENCY,
  type FriendReport, type MessageTransport, type NodeReport, type PaymentPlan, ackPayment, executePayment,
  findFriendByName, formatBalance, formatFriendsTable, formatIndexServers, formatOpenInvoices, formatOpenPayments,
  formatPaymentSuccess, formatPublicKey,
  formatRelays, quotePayment,
} from '../app/index.ts';
import { access } from 'node:fs/promises';
import { fromBase64Url, toBase64Url } from '../codec/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import { type CryptoBackend, identityFromSeed } from '../crypto/index.ts';
import {
  checkCurrency, formatCommit, formatFriend, formatInvoice, formatReceipt, parseCommit, parseFriend,
  parseIdent, parseIndexTicket, parseInvoice, parseNodeTicket, parseRelayTicket, parseU128Decimal,
} from '../files/index.ts';
import { secureChannel, systemClock } from '../net/index.ts';
import { tcpConnect } from '../net/tcp.node.ts';
import { type Invoice, MAX_CURRENCY_BYTES, checkCommitForInvoice } from '../proto/index.ts';
import { type CommandSpec, CliError, type OptionSpec, type Parsed, UsageError } from './args.ts';
import { loadFile, saveFile } from './file-io.ts';
import { type Io, runProgram } from './program.ts';

const name: OptionSpec = { long: 'name', short: 'n', value: 'NAME', required: true, help: "the friend's name (info friends)" };
const currency: OptionSpec = { long: 'currency', short: 'c', value: 'CURRENCY', help: `currency (default ${DEFAULT_CURRENCY})` };
const force: OptionSpec = { long: 'force', flag: true, help: 'replace the output file if it exists' };
const yes: OptionSpec = { long: 'yes', short: 'y', flag: true, help: 'pay the quoted fees without asking' };
const cmd = (n: string, help: string, options: OptionSpec[] = []): CommandSpec => ({ name: n, help, options });

export const STCTRL_SPEC: CommandSpec = {
  name: 'stctrl',
  help: 'Offset control: view and configure a node, send and receive funds',
  options: [
    { long: 'idfile', short: 'I', value: 'FILE', required: true, help: "this app's identity file" },
    { long: 'ticket', short: 'T', value: 'FILE', required: true, help: "the node's ticket file" },
  ],
  commands: [
    {
      name: 'info', help: "show the node's state", options: [], commands: [
        cmd('public-key', "print the node's public key (the address to send funds to)"),
        cmd('friends', 'list friends with status and balances'),
        cmd('balance', 'print the total balance per currency'),
        cmd('relays', 'list relays'),
        cmd('index', 'list index servers; (*) marks the connected one'),
        cmd('invoices', 'list open invoices (seller)'),
        cmd('payments', 'list open payments (buyer)'),
        historyCommand,
        statementCommand,
        cmd('export-ticket', "write this node's friend file", [
          { long: 'output', short: 'o', value: 'FILE', required: true, help: 'the friend file to write' }, force]),
      ],
    },
    {
      name: 'config', help: "configure the node (needs --pconfig)", options: [], commands: [
        cmd('add-relay', 'add a relay', [
          { long: 'name', short: 'n', value: 'NAME', required: true, help: 'a name for the relay' },
          { long: 'relay', short: 'r', value: 'FILE', required: true, help: 'the relay ticket' }]),
        cmd('remove-relay', 'remove a relay', [{ long: 'name', short: 'n', value: 'NAME', required: true, help: 'the relay name' }]),
        cmd('add-index', 'add an index server', [
          { long: 'name', short: 'n', value: 'NAME', required: true, help: 'a name for the index server' },
          { long: 'index', short: 'i', value: 'FILE', required: true, help: 'the index ticket' }]),
        cmd('remove-index', 'remove an index server', [{ long: 'name', short: 'n', value: 'NAME', required: true, help: 'the index server name' }]),
        cmd('add-friend', 'add a friend from its friend file', [
          { long: 'name', short: 'n', value: 'NAME', required: true, help: 'a name for the friend' },
          { long: 'friend', short: 'f', value: 'FILE', required: true, help: "the friend's friend file" },
          { long: 'balance', short: 'b', value: 'N', help: 'agreed starting balance, the friend uses the negation (default 0)' },
          currency]),
        cmd('set-friend-relays', "update a friend's relays from its friend file", [name,
          { long: 'friend', short: 'f', value: 'FILE', required: true, help: "the friend's friend file" }]),
        cmd('remove-friend', 'remove a friend', [name]),
        cmd('enable-friend', 'connect to a friend', [name]),
        cmd('disable-friend', 'disconnect from a friend', [name]),
        cmd('open-friend', "accept the friend's payment requests through this node", [name, currency]),
        cmd('close-friend', "refuse the friend's payment requests through this node", [name, currency]),
        cmd('set-friend-max-debt', 'set how far the friend may owe this node', [name, currency,
          { long: 'mdebt', short: 'm', value: 'N', required: true, help: 'max debt in credits' }]),
        cmd('set-friend-rate', "set the fee for forwarding the friend's payments: x·mul/2^32 + add", [name, currency,
          { long: 'mul', value: 'MUL', required: true, help: 'proportional part, 0..2^32-1 (2^32 = 100%)' },
          { long: 'add', value: 'ADD', required: true, help: 'flat part in credits, 0..2^32-1' }]),
        cmd('add-currency', 'trade a currency with a friend', [name, { ...currency, required: true }]),
        cmd('remove-currency', 'stop trading a currency with a friend', [name, { ...currency, required: true }]),
        cmd('reset-friend', "reset an inconsistent channel on the friend's terms", [name]),
      ],
    },
    {
      name: 'funds', help: 'send funds (needs --pfunds and --proutes)', options: [], commands: [
        cmd('send-funds', 'pay a node by its public key', [
          { long: 'amount', short: 'a', value: 'N', required: true, help: 'credits to send' },
          { long: 'dest', short: 'd', value: 'KEY', required: true, help: "the destination's public key" }, currency, yes]),
        cmd('pay-invoice', 'pay an invoice and write the receipt', [
          { long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice to pay' },
          { long: 'receipt', short: 'r', value: 'FILE', required: true, help: 'the receipt file to write' }, yes, force]),
      ],
    },
    {
      name: 'buyer', help: 'pay invoices the seller collects with a commit (needs --pbuyer and --proutes)', options: [], commands: [
        cmd('pay-invoice', 'pay an invoice and write the commit for the seller', [
          { long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice to pay' },
          { long: 'commit', short: 'c', value: 'FILE', required: true, help: 'the commit file to write' }, yes, force]),
        cmd('payment-status', "close a payment and write its receipt once the seller collected", [
          { long: 'payment', short: 'p', value: 'ID', required: true, help: 'the payment id pay-invoice printed' },
          { long: 'receipt', short: 'r', value: 'FILE', required: true, help: 'the receipt file to write' }, force]),
      ],
    },
    {
      name: 'seller', help: 'receive funds with invoices (needs --pseller)', options: [], commands: [
        cmd('create-invoice', 'open an invoice on the node and write it', [
          { long: 'amount', short: 'a', value: 'N', required: true, help: 'credits to be paid' },
          { long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice file to write' }, currency, force]),
        cmd('cancel-invoice', 'cancel an open invoice', [{ long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice' }]),
        cmd('wait-invoice', 'wait until an open invoice is fully paid, collected or canceled', [
          { long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice' }]),
        cmd('commit-invoice', "collect an invoice's payment with the buyer's commit", [
          { long: 'invoice', short: 'i', value: 'FILE', required: true, help: 'the invoice' },
          { long: 'commit', short: 'c', value: 'FILE', required: true, help: "the buyer's commit" }]),
      ],
    },
  ],
};

/** What stctrl needs from its surroundings; tests pass their own. */
export interface StctrlDeps {
  readonly crypto: CryptoBackend;
  readonly connect: (identPath: string, ticketPath: string) => Promise<AppClient>;
  /** Asks the user a yes/no question; false when nobody can answer (not a terminal). */
  readonly confirm: (question: string) => Promise<boolean>;
}

/** On a terminal, asks on stderr and reads one line from stdin; elsewhere answers no. */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (process.stdin.isTTY !== true) return false;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export async function connectToNode(identPath: string, ticketPath: string, crypto: CryptoBackend = nodeBackend): Promise<AppClient> {
  const ident = await loadFile(identPath, 'ident', (t) => parseIdent(t, crypto));
  const ticket = await loadFile(ticketPath, 'node-ticket', parseNodeTicket);
  let transport: MessageTransport;
  try {
    const raw = await tcpConnect(ticket.address);
    try {
      transport = await secureChannel(raw, {
        identity: identityFromSeed(crypto, ident.privateKey), crypto, clock: systemClock, expectedRemote: ticket.publicKey,
      });
    } catch (e) {
      raw.close();
      throw e;
    }
  } catch (e) {
    throw new CliError(`cannot connect to the node at ${ticket.address}: ${(e as Error).message}`);
  }
  try {
    return await Client.connect(transport, { random: (n) => crypto.randomBytes(n) });
  } catch (e) {
    transport.close();
    throw new CliError(`the node did not accept this app (is its ticket in the node's trusted directory?): ${(e as Error).message}`);
  }
}

const defaultDeps: StctrlDeps = { crypto: nodeBackend, connect: (i, t) => connectToNode(i, t), confirm: confirmOnTerminal };

export async function main(argv: string[], io?: Io, deps: StctrlDeps = defaultDeps): Promise<number> {
  return runProgram('stctrl', STCTRL_SPEC, argv, async (p, out) => {
    const client = await deps.connect(get(p, 'idfile'), get(p, 'ticket'));
    try {
      await run(client, p, out, deps);
    } catch (e) {
      if (e instanceof AppRequestError) throw new CliError(`the node refused: ${e.message}`);
      if (e instanceof AppConnectionClosedError) throw new CliError(`lost the connection to the node: ${e.message}`);
      throw e;
    } finally {
      client.close();
    }
  }, io);
}

function get(p: Parsed, option: string): string {
  const v = p.values.get(option);
  if (v === undefined) throw new UsageError(`missing required option --${option}`);
  return v;
}

function amountOf(p: Parsed, option: string): bigint {
  const text = get(p, option);
  const r = parseU128Decimal(text);
  if (!r.ok) throw new UsageError(`--${option}: expected a whole number of credits, got ${JSON.stringify(text)}`);
  return r.value;
}

function balanceOf(p: Parsed): bigint {
  const text = p.values.get('balance') ?? '0';
  if (!/^-?(0|[1-9][0-9]*)$/.test(text)) throw new UsageError(`--balance: expected a whole number such as 100 or -100, got ${JSON.stringify(text)}`);
  const v = BigInt(text);
  if (v < -(1n << 127n) || v >= 1n << 127n) throw new UsageError('--balance: out of range');
  return v;
}

function u32Of(p: Parsed, option: string): number {
  const text = get(p, option);
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text) || Number(text) > 0xffff_ffff) throw new UsageError(`--${option}: expected 0..4294967295, got ${JSON.stringify(text)}`);
  return Number(text);
}

function currencyOf(p: Parsed): string {
  const c = p.values.get('currency') ?? DEFAULT_CURRENCY;
  try {
    checkCurrency(c);
  } catch {
    throw new UsageError(`--currency: expected 1 to ${MAX_CURRENCY_BYTES} bytes, got ${JSON.stringify(c)}`);
  }
  return c;
}

function keyOf(text: string, option: string): Uint8Array {
  const k = text.length === 43 ? fromBase64Url(text) : undefined;
  if (k === undefined || k.length !== 32) throw new UsageError(`--${option}: expected 43 base64url characters (a public key), got ${JSON.stringify(text)}`);
  return k;
}

function friendNamed(report: NodeReport, friendName: string): FriendReport {
  const f = findFriendByName(report, friendName);
  if (f === undefined) throw new CliError(`no friend named ${JSON.stringify(friendName)} (see info friends)`);
  return f;
}

async function run(client: AppClient, p: Parsed, io: Io, deps: StctrlDeps): Promise<void> {
  const { crypto } = deps;
  const [group, command] = p.path;
  const report = client.report;
  const need = (perm: 'config' | 'buyer' | 'seller' | 'routes', flag: string): void => {
    if (!client.permissions[perm]) throw new CliError(`this app's ticket lacks the ${perm} permission (stmgr app-ticket ${flag})`);
  };
  const friendKey = (): Uint8Array => friendNamed(report, get(p, 'name')).publicKey;

  if (group === 'info') {
    switch (command) {
      case 'public-key': io.out(formatPublicKey(report)); return;
      case 'friends': io.out(formatFriendsTable(report)); return;
      case 'balance': io.out(formatBalance(report)); return;
      case 'relays': io.out(formatRelays(report)); return;
      case 'index': io.out(formatIndexServers(report)); return;
      case 'invoices': io.out(formatOpenInvoices(report)); return;
      case 'payments': io.out(formatOpenPayments(report)); return;
      case 'history': await runHistory(client, p, io.out); return;
      case 'statement': await runStatement(client, p, io.out, Date.now()); return;
      case 'export-ticket': {
        const relays = report.relays.map((r) => ({ publicKey: r.publicKey, address: r.address }));
        await saveFile(get(p, 'output'), 'friend', formatFriend({ publicKey: report.localPublicKey, relays }), p.flags.has('force'));
        return;
      }
    }
  }

  if (group === 'config') {
    need('config', '--pconfig');
    const request = await configRequest(command, p, report, friendKey);
    await client.request(request);
    return;
  }

  if (group === 'funds' || group === 'buyer') {
    need('buyer', '--pfunds');
    if (command === 'payment-status') return paymentStatus(client, p, io);
    need('routes', '--proutes');
    let invoice: Invoice;
    if (command === 'send-funds') {
      invoice = {
        invoiceId: crypto.randomBytes(32), currency: currencyOf(p), destPublicKey: keyOf(get(p, 'dest'), 'dest'),
        totalDestPayment: amountOf(p, 'amount'),
      };
    } else {
      invoice = await loadFile(get(p, 'invoice'), 'invoice', parseInvoice);
    }
    const autoCollect = group === 'funds';
    // Refuse early, before any credit moves, if the output file could not be written
    const outPath = command === 'send-funds' ? undefined : get(p, autoCollect ? 'receipt' : 'commit');
    if (outPath !== undefined && !p.flags.has('force')) await ensureAbsent(outPath, autoCollect ? 'receipt' : 'commit');
    const plan = await quote(client, invoice);
    if (plan.totalFees > 0n && !p.flags.has('yes')) {
      const fees = `${plan.totalFees} ${invoice.currency} in fees on top of ${invoice.totalDestPayment}`;
      if (!(await deps.confirm(`The payment costs ${fees}. Pay?`))) {
        throw new CliError(`not paid: the payment costs ${fees} (confirm, or run again with --yes)`);
      }
    }
    const paymentId = crypto.randomBytes(16);
    if (!autoCollect) io.out(`Payment id: ${toBase64Url(paymentId)}`);
    const outcome = await executePayment(client, {
      paymentId, invoiceId: invoice.invoiceId, currency: invoice.currency, totalDestPayment: invoice.totalDestPayment,
      destPublicKey: invoice.destPublicKey, autoCollect,
    }, plan, (n) => crypto.randomBytes(n));
    switch (outcome.kind) {
      case 'refused': throw outcome.error;
      case 'canceled': throw new CliError('the payment was canceled along the route; no credits moved');
      case 'commit':
        await saveFile(outPath as string, 'commit', formatCommit(outcome.commit), true);
        io.out(formatPaymentSuccess(outcome.fees));
        return;
      case 'receipt':
        if (outPath !== undefined) await saveFile(outPath, 'receipt', formatReceipt(outcome.receipt), true);
        await ackPayment(client, paymentId, outcome.ackUid);
        io.out(formatPaymentSuccess(outcome.fees));
        return;
    }
  }

  if (group === 'seller') {
    need('seller', '--pseller');
    switch (command) {
      case 'create-invoice': {
        const path = get(p, 'invoice');
        if (!p.flags.has('force')) await ensureAbsent(path, 'invoice');
        const invoice: Invoice = {
          invoiceId: crypto.randomBytes(32), currency: currencyOf(p), destPublicKey: report.localPublicKey, totalDestPayment: amountOf(p, 'amount'),
        };
        await client.request({ kind: 'add-invoice', invoiceId: invoice.invoiceId, currency: invoice.currency, totalDestPayment: invoice.totalDestPayment });
        await saveFile(path, 'invoice', formatInvoice(invoice), true);
        return;
      }
      case 'wait-invoice': {
        const invoice = await loadFile(get(p, 'invoice'), 'invoice', parseInvoice);
        io.out(await waitInvoice(client, invoice.invoiceId));
        return;
      }
      case 'cancel-invoice': {
        const invoice = await loadFile(get(p, 'invoice'), 'invoice', parseInvoice);
        await client.request({ kind: 'cancel-invoice', invoiceId: invoice.invoiceId });
        return;
      }
      case 'commit-invoice': {
        const invoice = await loadFile(get(p, 'invoice'), 'invoice', parseInvoice);
        const commit = await loadFile(get(p, 'commit'), 'commit', parseCommit);
        const problem = checkCommitForInvoice(crypto, invoice, commit);
        if (problem !== undefined) throw new CliError(`the commit does not pay this invoice (${problem})`);
        await client.request({ kind: 'commit-invoice', commit });
        return;
      }
    }
  }
  throw new UsageError(`unknown command '${p.path.join(' ')}'`);
}

async function configRequest(command: string | undefined, p: Parsed, report: NodeReport, friendKey: () => Uint8Array): Promise<AppRequest> {
  switch (command) {
    case 'add-relay': {
      const relayName = get(p, 'name');
      if (report.relays.some((r) => r.name === relayName)) throw new CliError(`a relay named ${JSON.stringify(relayName)} exists already`);
      const t = await loadFile(get(p, 'relay'), 'relay-ticket', parseRelayTicket);
      return { kind: 'add-relay', relay: { publicKey: t.publicKey, address: t.address, name: relayName } };
    }
    case 'remove-relay': {
      const r = report.relays.find((x) => x.name === get(p, 'name'));
      if (r === undefined) throw new CliError(`no relay named ${JSON.stringify(get(p, 'name'))} (see info relays)`);
      return { kind: 'remove-relay', publicKey: r.publicKey };
    }
    case 'add-index': {
      const indexName = get(p, 'name');
      if (report.indexServers.some((s) => s.name === indexName)) throw new CliError(`an index server named ${JSON.stringify(indexName)} exists already`);
      const t = await loadFile(get(p, 'index'), 'index-ticket', parseIndexTicket);
      return { kind: 'add-index-server', server: { publicKey: t.publicKey, address: t.address, name: indexName } };
    }
    case 'remove-index': {
      const s = report.indexServers.find((x) => x.name === get(p, 'name'));
      if (s === undefined) throw new CliError(`no index server named ${JSON.stringify(get(p, 'name'))} (see info index)`);
      return { kind: 'remove-index-server', publicKey: s.publicKey };
    }
    case 'add-friend': {
      const friendName = get(p, 'name');
      if (findFriendByName(report, friendName) !== undefined) throw new CliError(`a friend named ${JSON.stringify(friendName)} exists already`);
      const f = await loadFile(get(p, 'friend'), 'friend', parseFriend);
      const balance = balanceOf(p);
      return {
        kind: 'add-friend', friendPublicKey: f.publicKey, name: friendName, relays: f.relays,
        initialBalances: [{ currency: currencyOf(p), balance }],
      };
    }
    case 'set-friend-relays': {
      const key = friendKey();
      const f = await loadFile(get(p, 'friend'), 'friend', parseFriend);
      if (toBase64Url(f.publicKey) !== toBase64Url(key)) throw new CliError('the friend file is for a different public key than this friend');
      return { kind: 'set-friend-relays', friendPublicKey: key, relays: f.relays };
    }
    case 'remove-friend': return { kind: 'remove-friend', friendPublicKey: friendKey() };
    case 'enable-friend': return { kind: 'enable-friend', friendPublicKey: friendKey() };
    case 'disable-friend': return { kind: 'disable-friend', friendPublicKey: friendKey() };
    case 'open-friend': return { kind: 'open-friend-currency', friendPublicKey: friendKey(), currency: currencyOf(p) };
    case 'close-friend': return { kind: 'close-friend-currency', friendPublicKey: friendKey(), currency: currencyOf(p) };
    case 'set-friend-max-debt':
      return { kind: 'set-friend-currency-max-debt', friendPublicKey: friendKey(), currency: currencyOf(p), remoteMaxDebt: amountOf(p, 'mdebt') };
    case 'set-friend-rate':
      return { kind: 'set-friend-currency-rate', friendPublicKey: friendKey(), currency: currencyOf(p), rate: { mul: u32Of(p, 'mul'), add: u32Of(p, 'add') } };
    case 'add-currency': return { kind: 'add-friend-currency', friendPublicKey: friendKey(), currency: currencyOf(p) };
    case 'remove-currency': return { kind: 'remove-friend-currency', friendPublicKey: friendKey(), currency: currencyOf(p) };
    case 'reset-friend': {
      const f = friendNamed(report, get(p, 'name'));
      if (f.channel.kind !== 'inconsistent') throw new CliError(`the channel with ${JSON.stringify(f.name)} is consistent; there is nothing to reset`);
      if (f.channel.remoteResetTerms === undefined) throw new CliError(`${JSON.stringify(f.name)} has not sent its reset terms yet; try again when it is online`);
      return { kind: 'reset-friend-channel', friendPublicKey: f.publicKey, resetToken: f.channel.remoteResetTerms.resetToken };
    }
    default:
      throw new UsageError(`unknown command 'config ${String(command)}'`);
  }
}

async function quote(client: AppClient, invoice: Invoice): Promise<PaymentPlan> {
  const q = await quotePayment(client, { destination: invoice.destPublicKey, currency: invoice.currency, amount: invoice.totalDestPayment });
  if (q.ok) return q.value;
  switch (q.error.kind) {
    case 'refused': throw q.error.error;
    case 'routes-failed': throw new CliError('the index server found no route (is an index server configured and connected? see info index)');
    case 'no-route': throw new CliError(`no route can carry ${invoice.totalDestPayment} ${invoice.currency} to the destination`);
  }
}

async function paymentStatus(client: AppClient, p: Parsed, io: Io): Promise<void> {
  const text = get(p, 'payment');
  const paymentId = text.length === 22 ? fromBase64Url(text) : undefined;
  if (paymentId === undefined || paymentId.length !== 16) throw new UsageError(`--payment: expected the 22-character id pay-invoice printed, got ${JSON.stringify(text)}`);
  const receiptPath = get(p, 'receipt');
  if (!p.flags.has('force')) await ensureAbsent(receiptPath, 'receipt');
  // The node answers a close only once the payment has ended; do not wait for one still under way
  const open = client.report.openPayments.find((x) => toBase64Url(x.paymentId) === toBase64Url(paymentId));
  if (open !== undefined && (open.stage === 'new-transactions' || open.stage === 'in-progress')) {
    io.out('Payment is in progress; the seller has not collected yet.');
    return;
  }
  const status = await client.requestClosePayment(paymentId);
  switch (status.kind) {
    case 'not-found': io.out('Payment could not be found'); return;
    case 'canceled':
      await ackPayment(client, paymentId, status.ackUid);
      io.out('Payment was canceled.');
      return;
    case 'success':
      await saveFile(receiptPath, 'receipt', formatReceipt(status.receipt), true);
      await ackPayment(client, paymentId, status.ackUid);
      io.out('Payment succeeded. Saving receipt to file.');
  }
}

/** Resolves with one line once the invoice is fully paid (waiting for the commit), collected or
 *  canceled; at once when the report already says so. */
function waitInvoice(client: AppClient, invoiceId: Uint8Array): Promise<string> {
  const id = toBase64Url(invoiceId);
  const PAID = 'Invoice is fully paid; waiting for the buyer\'s commit.';
  return new Promise((resolve, reject) => {
    const subs = [
      client.onInvoiceEvent((e) => {
        if (toBase64Url(e.invoiceId) !== id) return;
        if (e.event.kind === 'complete') done(PAID);
        else if (e.event.kind === 'collected') done('Invoice collected.');
        else if (e.event.kind === 'canceled') done('Invoice canceled.');
      }),
      client.onDidClose((e) => { done(undefined); reject(e); }),
    ];
    function done(line: string | undefined): void {
      for (const s of subs) s.dispose();
      if (line !== undefined) resolve(line);
    }
    const open = client.report.openInvoices.find((i) => toBase64Url(i.invoiceId) === id);
    if (open === undefined) done('No such open invoice (collected, canceled, or never created on this node).');
    else if (open.paidDestPayment >= open.totalDestPayment) done(PAID);
  });
}

async function ensureAbsent(path: string, what: string): Promise<void> {
  const exists = await access(path).then(() => true, () => false);
  if (exists) throw new CliError(`${path}: the ${what} file exists already (use --force to replace it)`);
}
