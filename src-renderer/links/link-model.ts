/** `offset:<kind>:<data>` links (issue 11 item 6), pure: what a link holds and where the wallet
 *  opens it (docs/wallet.md "offset: links"). The payload is the QR payload of src-core/files,
 *  so a link, a QR code and a pasted text are one format. */
import type { Result } from '../../src-core/codec/index.ts';
import { nobleBackend } from '../../src-core/crypto/index.ts';
import { type FriendFile, formatFriend, formatRcard, parseQrPayload } from '../../src-core/files/index.ts';
import type { Commit, Invoice, Receipt } from '../../src-core/proto/index.ts';

export type LinkTarget =
  /** Opens the Pay tab of the card the person picks, with the invoice quoted. */
  | { readonly kind: 'invoice'; readonly invoice: Invoice; readonly text: string }
  /** Opens Get paid of the card the person picks, offering to collect with it. */
  | { readonly kind: 'commit'; readonly commit: Commit; readonly text: string }
  /** Shown as it is (no card needed). */
  | { readonly kind: 'receipt'; readonly receipt: Receipt; readonly text: string }
  /** Opens Friends of the card the person picks, offering to add it. */
  | { readonly kind: 'friend'; readonly friend: FriendFile; readonly fileText: string }
  /** Offers to import the remote card. */
  | { readonly kind: 'rcard'; readonly name: string; readonly fileText: string };

/** The card tab each kind opens on. */
export const LINK_TAB: Readonly<Record<'invoice' | 'commit' | 'friend', string>> = { invoice: 'pay', commit: 'get-paid', friend: 'friends' };

export const MAX_LINK_TEXT = 8192;

export function parseOffsetLink(raw: string): Result<LinkTarget, string> {
  let text = raw.trim();
  if (text === '') return { ok: false, error: 'Paste an offset: link first.' };
  if (text.length > MAX_LINK_TEXT) return { ok: false, error: 'This link is too long to be an Offset link.' };
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text); // a link copied from an address bar
    } catch {
      return { ok: false, error: 'This link cannot be read: it is not properly encoded.' };
    }
  }
  if (!/^offset:/i.test(text)) return { ok: false, error: 'This is not an offset: link (it starts with offset:).' };
  text = `offset:${text.slice('offset:'.length)}`;
  const q = parseQrPayload(text, nobleBackend);
  if (!q.ok) return { ok: false, error: `This offset: link cannot be read: ${q.error.message}` };
  const v = q.value;
  switch (v.kind) {
    case 'invoice': return { ok: true, value: { kind: 'invoice', invoice: v.invoice, text } };
    case 'commit': return { ok: true, value: { kind: 'commit', commit: v.commit, text } };
    case 'receipt': return { ok: true, value: { kind: 'receipt', receipt: v.receipt, text } };
    case 'friend': return { ok: true, value: { kind: 'friend', friend: v.friend, fileText: formatFriend(v.friend) } };
    case 'rcard': return { ok: true, value: { kind: 'rcard', name: v.rcard.name, fileText: formatRcard(v.rcard) } };
  }
}

/** The link in a page address's fragment: `#offset:…` (browser mode). */
export function linkFromHash(hash: string): string | undefined {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  let t = h;
  try {
    t = decodeURIComponent(h);
  } catch {
    return undefined;
  }
  return /^offset:/i.test(t) ? t : undefined;
}

/** One sentence for the person: what the link is. */
export function describeLink(t: LinkTarget): string {
  switch (t.kind) {
    case 'invoice': return `An invoice for ${t.invoice.totalDestPayment} ${t.invoice.currency}${t.invoice.description === undefined ? '' : ` (${t.invoice.description})`}: choose the card to pay it from.`;
    case 'commit': return `A buyer's commit paying ${t.commit.totalDestPayment} ${t.commit.currency}: choose the card whose invoice it pays.`;
    case 'receipt': return `A receipt for ${t.receipt.totalDestPayment} ${t.receipt.currency}${t.receipt.isComplete ? '' : ' (not complete)'}.`;
    case 'friend': return `A friend file${t.friend.name === undefined ? '' : ` of ${t.friend.name}`}: choose the card to add it to.`;
    case 'rcard': return `A remote card "${t.name}": import it into this wallet.`;
  }
}
