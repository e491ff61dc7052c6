/** Offline verification of a statement (docs/files.md "Statement"): every CSV line must be backed
 *  by its own artifact — a receipt or commit whose signature holds for the right key and whose
 *  currency and amount are the line's — and the friend's move token must carry the friend's
 *  signature and sign the balance the statement states. Pure and browser-safe: stverify and the
 *  wallet's Statement screen run the same code. */
import { decodeExact, fromBase64Url } from '../codec/index.ts';
import type { CryptoBackend } from '../crypto/index.ts';
import { commit as commitCodec, receipt as receiptCodec, signedFriendToken, verifySignedFriendToken } from '../app/index.ts';
import { type Commit, type Receipt, verifyCommit, verifyReceipt } from '../proto/index.ts';
import { CSV_HEADER, type Statement, type StatementLine, isFeeKind } from './statement.ts';

export interface LineCheck {
  /** 1-based line number of the CSV body (the header is line 0). */
  readonly line: number;
  /** The CSV text of the line. */
  readonly text: string;
  readonly parsed: StatementLine | undefined;
  readonly ok: boolean;
  /** False for a fee line: consistent, but with no signature of its own (ok stays true). */
  readonly signed: boolean;
  /** What was checked (ok) or why it failed. */
  readonly reason: string;
}

export interface BalanceCheck {
  readonly ok: boolean;
  readonly reason: string;
}

export interface StatementCheck {
  readonly ok: boolean;
  /** Problems with the statement as a whole (header, unused artifacts, keys). */
  readonly problems: readonly string[];
  readonly lines: readonly LineCheck[];
  /** Absent when the statement carries neither a token nor a signed balance. */
  readonly balance: BalanceCheck | undefined;
}

const hexOf = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const KINDS = new Set(['payment', 'invoice', 'received', 'fee-paid', 'fee-earned']);
const DECIMAL = /^-?(0|[1-9][0-9]{0,39})$/;

/** Splits one CSV record (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') { v += '"'; i += 2; continue; }
          i++;
          break;
        }
        v += text[i];
        i++;
      }
      out.push(v);
    } else {
      const j = text.indexOf(',', i);
      const end = j < 0 ? text.length : j;
      const v = text.slice(i, end);
      if (v.includes('"')) return undefined;
      out.push(v);
      i = end;
    }
    if (i === text.length) return out;
    if (text[i] !== ',') return undefined;
    i++;
  }
}

function parseLine(text: string, n: number): StatementLine | string {
  const f = splitCsvLine(text);
  if (f === undefined || f.length !== 9) return 'not a statement line (9 comma-separated fields expected)';
  const [line, time, kind, id, counterpart, currency, amount, state, artifact] = f as [string, string, string, string, string, string, string, string, string];
  if (line !== String(n)) return `numbered ${JSON.stringify(line)}, expected ${n}`;
  const t = Date.parse(time);
  if (!Number.isSafeInteger(t) || t < 0 || new Date(t).toISOString() !== time) return `bad time ${JSON.stringify(time)}`;
  if (!KINDS.has(kind)) return `unknown kind ${JSON.stringify(kind)}`;
  if (!DECIMAL.test(amount) || amount === '-0') return `bad amount ${JSON.stringify(amount)}`;
  if (isFeeKind(kind) ? artifact !== '' : !/^[1-9][0-9]{0,5}$/.test(artifact)) {
    return isFeeKind(kind) ? 'a fee line names no artifact' : `bad artifact number ${JSON.stringify(artifact)}`;
  }
  return {
    line: n, time: t, kind: kind as StatementLine['kind'], id, counterpart, currency, amount: BigInt(amount), state,
    artifact: artifact === '' ? 0 : Number(artifact),
  };
}

function keyOf(text: string): Uint8Array | undefined {
  const k = fromBase64Url(text);
  return k !== undefined && k.length === 32 ? k : undefined;
}

/** Checks one parsed line against its artifact; returns the reason it fails, or what holds. */
function checkArtifact(
  crypto: CryptoBackend, s: Statement, card: Uint8Array, l: StatementLine,
): { ok: true; what: string; invoiceId: string } | { ok: false; why: string } {
  if (l.currency !== s.currency) return { ok: false, why: `currency ${JSON.stringify(l.currency)}, the statement is in ${JSON.stringify(s.currency)}` };
  if (l.time < s.from || l.time >= s.to) return { ok: false, why: 'outside the statement period' };
  const a = s.artifacts[l.artifact - 1];
  if (a === undefined) return { ok: false, why: `artifact ${l.artifact} does not exist` };
  const expected = l.kind === 'invoice' ? 'commit' : 'receipt';
  if (a.kind !== expected) return { ok: false, why: `artifact ${l.artifact} is a ${a.kind}, a ${l.kind} line needs a ${expected}` };
  let signer: Uint8Array;
  let signerName: string;
  if (l.kind === 'payment') {
    const k = keyOf(l.counterpart);
    if (k === undefined) return { ok: false, why: 'the counterpart is not a public key' };
    signer = k;
    signerName = 'the seller';
    if (l.amount >= 0n) return { ok: false, why: 'a payment line must have a negative amount' };
  } else {
    signer = card;
    signerName = 'this card';
    if (l.amount <= 0n) return { ok: false, why: `a ${l.kind} line must have a positive amount` };
  }
  const paid = l.kind === 'payment' ? -l.amount : l.amount;
  let value: Receipt | Commit;
  let sigOk: boolean;
  if (a.kind === 'receipt') {
    const r = decodeExact(receiptCodec, a.bytes);
    if (!r.ok) return { ok: false, why: `artifact ${l.artifact} is not a receipt (${r.error.message})` };
    value = r.value;
    if (!r.value.isComplete) return { ok: false, why: 'the receipt is for an incomplete payment' };
    sigOk = verifyReceipt(crypto, r.value, signer);
  } else {
    const c = decodeExact(commitCodec, a.bytes);
    if (!c.ok) return { ok: false, why: `artifact ${l.artifact} is not a commit (${c.error.message})` };
    value = c.value;
    sigOk = verifyCommit(crypto, c.value, signer);
  }
  if (value.currency !== l.currency) return { ok: false, why: `the ${a.kind} is in ${JSON.stringify(value.currency)}, the line in ${JSON.stringify(l.currency)}` };
  if (value.totalDestPayment !== paid) return { ok: false, why: `the ${a.kind} is for ${value.totalDestPayment}, the line says ${paid}` };
  if (!sigOk) return { ok: false, why: `the ${a.kind}'s signature is not ${signerName}'s` };
  return { ok: true, what: `${a.kind} signed by ${signerName}`, invoiceId: hexOf(value.invoiceId) };
}

function checkBalance(crypto: CryptoBackend, s: Statement, card: Uint8Array, friend: Uint8Array | undefined): BalanceCheck | undefined {
  if (s.friendToken === undefined) {
    return s.signedBalance === undefined ? undefined : { ok: false, reason: 'a signed balance without the friend\'s signed token' };
  }
  const t = decodeExact(signedFriendToken, s.friendToken);
  if (!t.ok) return { ok: false, reason: `the friend's token does not decode (${t.error.message})` };
  if (friend === undefined) return { ok: false, reason: 'the friend is not a public key' };
  if (!verifySignedFriendToken(crypto, t.value, friend)) return { ok: false, reason: 'the move token\'s signature is not the friend\'s' };
  if (hexOf(t.value.tokenInfo.remotePublicKey) !== hexOf(card)) return { ok: false, reason: 'the move token was sent to another card' };
  const b = t.value.tokenInfo.balances.find((x) => x.currency === s.currency);
  if (b === undefined) {
    return s.signedBalance === undefined
      ? { ok: true, reason: `the friend's signed token (move ${t.value.tokenInfo.moveTokenCounter}) has no ${s.currency} balance` }
      : { ok: false, reason: `the friend's token has no ${s.currency} balance, the statement says ${s.signedBalance}` };
  }
  if (s.signedBalance === undefined) return { ok: false, reason: `the friend's token signs a ${s.currency} balance, the statement states none` };
  if (-b.balance !== s.signedBalance) {
    return { ok: false, reason: `the friend signed a balance of ${-b.balance} ${s.currency}, the statement says ${s.signedBalance}` };
  }
  return { ok: true, reason: `balance ${s.signedBalance} ${s.currency} as the friend last signed it (move ${t.value.tokenInfo.moveTokenCounter})` };
}

/** A fee has no signature of its own: its line must only be consistent (currency, period, sign,
 *  the statement's friend); the friend's signed balance includes it. */
function checkFee(s: Statement, l: StatementLine): string | undefined {
  if (l.currency !== s.currency) return `currency ${JSON.stringify(l.currency)}, the statement is in ${JSON.stringify(s.currency)}`;
  if (l.time < s.from || l.time >= s.to) return 'outside the statement period';
  if (l.kind === 'fee-paid' ? l.amount >= 0n : l.amount <= 0n) return `a ${l.kind} line must have a ${l.kind === 'fee-paid' ? 'negative' : 'positive'} amount`;
  if (l.counterpart !== s.friend) return 'a fee of another friend';
  return undefined;
}

export function verifyStatement(crypto: CryptoBackend, s: Statement): StatementCheck {
  const problems: string[] = [];
  const card = keyOf(s.card);
  const friend = keyOf(s.friend);
  if (card === undefined) problems.push('the card is not a public key');
  if (friend === undefined) problems.push('the friend is not a public key');
  const rows = s.csv.split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  if (rows[0] !== CSV_HEADER) problems.push(`the CSV header is not ${JSON.stringify(CSV_HEADER)}`);
  const lines: LineCheck[] = [];
  const usedArtifacts = new Map<number, number>();
  const seenPayments = new Map<string, number>();
  rows.slice(1).forEach((text, i) => {
    const n = i + 1;
    const parsed = parseLine(text.replace(/\r$/, ''), n);
    if (typeof parsed === 'string') { lines.push({ line: n, text, parsed: undefined, ok: false, signed: false, reason: parsed }); return; }
    if (card === undefined) { lines.push({ line: n, text, parsed, ok: false, signed: false, reason: 'the card is not a public key' }); return; }
    if (isFeeKind(parsed.kind)) {
      const why = checkFee(s, parsed);
      const dup = seenPayments.get(`fee:${parsed.id}`);
      if (why !== undefined || dup !== undefined) { lines.push({ line: n, text, parsed, ok: false, signed: false, reason: why ?? `the same fee as line ${dup}` }); return; }
      seenPayments.set(`fee:${parsed.id}`, n);
      lines.push({ line: n, text, parsed, ok: true, signed: false, reason: 'a fee: no signature of its own; the friend\'s signed balance includes it' });
      return;
    }
    const prev = usedArtifacts.get(parsed.artifact);
    if (prev !== undefined) { lines.push({ line: n, text, parsed, ok: false, signed: false, reason: `artifact ${parsed.artifact} already backs line ${prev}` }); return; }
    usedArtifacts.set(parsed.artifact, n);
    const c = checkArtifact(crypto, s, card, parsed);
    if (!c.ok) { lines.push({ line: n, text, parsed, ok: false, signed: false, reason: c.why }); return; }
    const key = `${parsed.kind === 'payment' ? 'paid' : 'got'}:${c.invoiceId}`;
    const dup = seenPayments.get(key);
    if (dup !== undefined) { lines.push({ line: n, text, parsed, ok: false, signed: false, reason: `the same payment as line ${dup}` }); return; }
    seenPayments.set(key, n);
    lines.push({ line: n, text, parsed, ok: true, signed: true, reason: c.what });
  });
  s.artifacts.forEach((_, i) => { if (!usedArtifacts.has(i + 1)) problems.push(`artifact ${i + 1} backs no line`); });
  const balance = card === undefined ? undefined : checkBalance(crypto, s, card, friend);
  const ok = problems.length === 0 && lines.every((l) => l.ok) && (balance === undefined || balance.ok);
  return { ok, problems, lines, balance };
}

/** stverify's text: one line per CSV line, then the balance, the problems and the verdict. */
export function formatStatementCheck(c: StatementCheck): string[] {
  const out = c.lines.map((l) => {
    const p = l.parsed;
    const what = p === undefined ? l.text.slice(0, 60) : `${p.kind} ${p.amount} ${p.currency}`;
    return `line ${l.line}: ${l.ok ? (l.signed ? 'OK' : 'OK (unsigned)') : 'FAILED'} ${what} — ${l.reason}`;
  });
  if (c.balance !== undefined) out.push(`balance: ${c.balance.ok ? 'OK' : 'FAILED'} — ${c.balance.reason}`);
  for (const p of c.problems) out.push(`statement: FAILED — ${p}`);
  out.push(c.ok ? `Statement is valid! (${c.lines.length} lines)` : 'Statement is NOT valid.');
  return out;
}
