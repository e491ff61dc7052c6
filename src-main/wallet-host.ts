/** The wallet host's wallet-level requests (issue 7 §1–2): the password lock and the cards'
 *  identities, sealed in the vault file. The wallet starts locked; nothing that needs a key works
 *  until it is unlocked; decrypted seeds stay in this process (`cardSeed`), never on the bridge.
 *
 *  With `engines` (card-engines.node.ts; host.node.ts passes it) a local card is a node engine:
 *  its database is made with the card, its node runs while the wallet is unlocked, app requests
 *  and command line access go to it, and its view shows the node's balances. Without `engines`
 *  (renderer store tests) a card is an identity only and those requests answer `unavailable`.
 *  `cards.export` / `cards.import`: sealed backup files (card-backup.ts) of a local card.
 *  With `remotes` (remote-cards.node.ts) a remote card (`cards.import` of an .rcard) is an app
 *  connection to its own `stnode`, its app key sealed like a seed; docs/wallet.md. */
import { toBase64Url, type Result } from '../src-core/codec/index.ts';
import type { CryptoBackend } from '../src-core/crypto/index.ts';
import { parseIdent, parseRcard } from '../src-core/files/index.ts';
import type { BridgeError, CardView } from './bridge.ts';
import { BACKUP_FILE_EXTENSION, openCardBackup, sealCardBackup } from './card-backup.ts';
import type { CardEngines } from './card-engines.ts';
import { type CardPrefsDeps, withCardPrefs } from './card-prefs.ts';
import type { BridgeHandlers, EventHub } from './dispatcher.ts';
import { type SafetyOptions, type WalletHandlers, withSafety } from './safety.ts';
import {
  createPasswordLock,
  lockWalletKey,
  MIN_PASSWORD_LENGTH,
  openCardSeed,
  openPasswordLock,
  sealCardSeed,
  type Kdf,
} from './key-vault.ts';
import type { RemoteCards } from './remote-cards.ts';
import type { RemoteVaultCard, Vault, VaultCard } from './vault-file.ts';

export interface WalletHostOptions {
  readonly vault: Vault;
  /** Durable save of the whole vault; the host changes its state only after it resolves. */
  readonly save: (vault: Vault) => Promise<void>;
  readonly events: EventHub;
  readonly crypto: CryptoBackend;
  readonly kdf: Kdf;
  readonly random: (n: number) => Uint8Array;
  /** scrypt cost for new password locks (tests pass a small one; default key-vault DEFAULT_SCRYPT). */
  readonly cost?: { readonly logN: number; readonly r: number; readonly p: number };
  /** Local cards' node engines; absent: cards without nodes. */
  readonly engines?: CardEngines;
  /** A card whose node could not start (the wallet still unlocks; the card shows offline). */
  readonly onEngineError?: (cardId: string, e: unknown) => void;
  /** Safety habits (safety.ts): settings and their save, the idle lock's clock; default: the
   *  default settings in memory, the system clock. */
  readonly safety?: SafetyOptions;
  /** Wall-clock time in ms since the Unix epoch, for `backedUpAt` (default Date.now). */
  readonly now?: () => number;
  /** Remote cards' connections (remote-cards.node.ts); absent: remote cards are refused. */
  readonly remotes?: RemoteCards;
  /** Invoice expiries and fee caps (card-prefs.ts): the table and its save; default: in memory. */
  readonly cardPrefs?: Pick<CardPrefsDeps, 'prefs' | 'save' | 'clock' | 'onExpired'>;
}

export interface WalletHost {
  readonly handlers: BridgeHandlers;
  /** The decrypted seed of a card, for starting its node engine (main process only). */
  cardSeed(cardId: string): Uint8Array | undefined;
  /** Stops the cards' node engines (host shutdown); the wallet is locked afterwards. */
  close(): Promise<void>;
}

type Fail = { readonly ok: false; readonly error: BridgeError };
const fail = (code: BridgeError['code'], message: string): Fail => ({ ok: false, error: { code, message } });
const done = { ok: true, value: undefined } as const;

/** Trims, and refuses names that are empty or contain control characters. */
export function checkCardName(raw: string): Result<string, BridgeError> {
  const name = raw.trim();
  if (name === '') return fail('bad-input', 'A card needs a name.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return fail('bad-input', 'A card name cannot contain control characters.');
  return { ok: true, value: name };
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A file name for a card's backup: the card's name with anything unsafe in file names replaced. */
export function backupFileName(cardName: string): string {
  // eslint-disable-next-line no-control-regex
  const base = cardName.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 64);
  return `${base === '' ? 'card' : base}${BACKUP_FILE_EXTENSION}`;
}

function checkNewPassword(password: string): Fail | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return fail('bad-input', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
  return undefined;
}

const REMOTE_NO_CLI = 'Command line access is for cards on this computer. A remote card is a node of its own: use stctrl with that node\'s tickets.';
const REMOTE_NO_BACKUP = 'A remote card cannot be backed up from the wallet: its key and its data live on its node. Back up the node (its identity file and database) instead; keep the .rcard file to connect again.';

export function createWalletHost(opts: WalletHostOptions): WalletHost {
  const deps = { crypto: opts.crypto, kdf: opts.kdf, random: opts.random, ...(opts.cost === undefined ? {} : { cost: opts.cost }) };
  let vault = opts.vault;
  let walletKey: Uint8Array | undefined;
  // one change at a time: each request reads the vault it replaces
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => undefined);
    return run;
  };

  const engines = opts.engines;
  const now = opts.now ?? Date.now;
  const remotes = opts.remotes;
  const view = (c: VaultCard): CardView => {
    const st = (c.kind === 'local' ? engines : remotes)?.status(c.id) ?? { online: false, balances: [] };
    return {
      id: c.id, name: c.name, publicKey: toBase64Url(c.publicKey), kind: c.kind, online: st.online, balances: [...st.balances],
      address: c.kind === 'remote' ? c.address : null,
      backedUpAt: c.kind === 'local' ? c.backedUpAt : null,
      needsReset: st.needsReset ?? 0,
      closestToLimit: st.closestToLimit ?? 0,
      problem: walletKey === undefined || st.online ? null : (st.problem ?? startProblems.get(c.id) ?? null),
    };
  };
  const cards = (): CardView[] => vault.cards.map(view);
  const status = () => ({ locked: walletKey === undefined, hasPassword: vault.lock !== null });
  const commit = async (next: Vault): Promise<void> => {
    await opts.save(next); // throws: state unchanged, the dispatcher answers `internal`
    vault = next;
  };
  const needUnlocked = (): Fail | undefined => {
    if (vault.lock === null) return fail('locked', 'Set a wallet password first.');
    if (walletKey === undefined) return fail('locked', 'Unlock the wallet first.');
    return undefined;
  };
  const findCard = (id: string): VaultCard | undefined => vault.cards.find((c) => c.id === id);
  const unknownCard = (id: string): Fail => fail('unknown-card', `There is no card ${JSON.stringify(id)}.`);
  const unavailable = (what: string): Fail => fail('unavailable', `${what} is not available in this build yet.`);
  /** Local cards whose node did not start at unlock or creation: why, for `CardView.problem`. */
  const startProblems = new Map<string, string>();
  const startFailed = (cardId: string, e: unknown): void => {
    startProblems.set(cardId, `The card's node did not start: ${e instanceof Error ? e.message : String(e)}`);
    opts.onEngineError?.(cardId, e);
  };
  const onCardChange = (cardId: string): void => {
    if (findCard(cardId) !== undefined) opts.events.publish('cards.changed', { cards: cards() });
  };
  engines?.onChange(onCardChange);
  remotes?.onChange(onCardChange);
  /** Starts keeping a remote card connected (in the background; it shows offline until then). */
  const startRemote = (card: RemoteVaultCard, key: Uint8Array): void => {
    const appPrivateKey = openCardSeed(deps, key, card.id, card.appKey);
    if (appPrivateKey === undefined) {
      startFailed(card.id, new Error('the card\'s sealed app key does not open with the wallet key'));
      return;
    }
    try {
      remotes?.start(card.id, { name: card.name, nodePublicKey: card.publicKey, address: card.address, appPrivateKey, appPublicKey: opts.crypto.ed25519PublicKey(appPrivateKey) });
    } finally {
      appPrivateKey.fill(0);
    }
  };
  /** Starts every local card's node; one that fails is reported and stays offline. */
  const startEngines = async (): Promise<void> => {
    if (walletKey === undefined) return;
    startProblems.clear();
    for (const card of vault.cards) {
      if (card.kind === 'remote') {
        startRemote(card, walletKey);
        continue;
      }
      if (engines === undefined) continue;
      const seed = openCardSeed(deps, walletKey, card.id, card.seed);
      if (seed === undefined) {
        startFailed(card.id, new Error('the card\'s sealed key does not open with the wallet key'));
        continue;
      }
      try {
        await engines.start(card.id, card.publicKey, seed);
      } catch (e) {
        startFailed(card.id, e);
      } finally {
        seed.fill(0);
      }
    }
  };
  const stopEngines = async (): Promise<void> => {
    await remotes?.stopAll();
    await engines?.stopAll();
  };
  /** What runs the card, for requests that need it: known card, unlocked wallet. */
  const runnerFor = (cardId: string, what: string): Fail | { readonly kind: 'local'; readonly engines: CardEngines } | { readonly kind: 'remote'; readonly remotes: RemoteCards } => {
    const card = findCard(cardId);
    if (card === undefined) return unknownCard(cardId);
    if (card.kind === 'remote') return remotes === undefined ? unavailable(what) : needUnlocked() ?? { kind: 'remote', remotes };
    return engines === undefined ? unavailable(what) : needUnlocked() ?? { kind: 'local', engines };
  };

  /** A local card from a key and a node database (inside the queue, unlocked): the key must be
   *  new here, the database must open as this key's; the vault is saved last (a failed save
   *  deletes the folder again), then the node starts. */
  const addLocal = async (
    e: CardEngines, name: string, publicKey: Uint8Array, seed: Uint8Array, database: Uint8Array, backedUpAt: number | null,
  ): Promise<Result<{ card: CardView }, BridgeError>> => {
    const same = vault.cards.find((c) => equalBytes(c.publicKey, publicKey));
    if (same !== undefined) return fail('bad-input', `This card is already in the wallet (${JSON.stringify(same.name)}). Nothing was imported.`);
    const id = toBase64Url(opts.random(16));
    const card: VaultCard = { id, name, kind: 'local', publicKey, seed: sealCardSeed(deps, walletKey as Uint8Array, id, seed), backedUpAt };
    const restored = await e.restoreDatabase(id, publicKey, database);
    if (!restored.ok) return restored;
    try {
      await commit({ ...vault, cards: [...vault.cards, card] });
    } catch (err) {
      await e.destroy(id); // no folder without a card in the vault
      throw err;
    }
    await e.start(id, publicKey, seed).catch((err: unknown) => startFailed(id, err));
    opts.events.publish('cards.changed', { cards: cards() });
    return { ok: true, value: { card: view(card) } };
  };

  /** `cards.import` of an .rcard (inside the queue, unlocked): the node's key must be new here. */
  const importRemote = async (name: Result<string, BridgeError>, text: string): Promise<Result<{ card: CardView }, BridgeError>> => {
    if (remotes === undefined) return unavailable('A remote card (.rcard)');
    if (!name.ok) return name;
    const parsed = parseRcard(text, opts.crypto);
    if (!parsed.ok) return fail('bad-input', `This is not a usable remote card file: ${parsed.error.message} Nothing was imported.`);
    const rcard = parsed.value;
    try {
      const same = vault.cards.find((c) => equalBytes(c.publicKey, rcard.nodePublicKey));
      if (same !== undefined) return fail('bad-input', `This node is already a card in the wallet (${JSON.stringify(same.name)}). Nothing was imported.`);
      const id = toBase64Url(opts.random(16));
      const key = walletKey as Uint8Array;
      const card: RemoteVaultCard = { id, name: name.value, kind: 'remote', publicKey: rcard.nodePublicKey, address: rcard.address, appKey: sealCardSeed(deps, key, id, rcard.appPrivateKey) };
      await commit({ ...vault, cards: [...vault.cards, card] });
      startRemote(card, key);
      opts.events.publish('cards.changed', { cards: cards() });
      return { ok: true, value: { card: view(card) } };
    } finally {
      rcard.appPrivateKey.fill(0);
    }
  };

  const handlers: WalletHandlers = {
    'wallet.status': async () => ({ ok: true, value: status() }),
    'wallet.create': ({ password }) =>
      serial(async () => {
        if (vault.lock !== null) return fail('bad-input', 'The wallet already has a password; change it instead.');
        const weak = checkNewPassword(password);
        if (weak !== undefined) return weak;
        const created = await createPasswordLock(deps, password);
        await commit({ ...vault, lock: created.lock });
        walletKey = created.walletKey;
        opts.events.publish('wallet.changed', status());
        return done;
      }),
    'wallet.unlock': ({ password }) =>
      serial(async () => {
        if (vault.lock === null) return fail('bad-input', 'Set a wallet password first.');
        const key = await openPasswordLock(deps, vault.lock, password);
        if (key === undefined) return fail('wrong-password', 'Wrong password. Nothing was changed; try again.');
        if (walletKey !== undefined) return done; // already unlocked: its engines run
        walletKey = key;
        await startEngines();
        opts.events.publish('wallet.changed', status());
        return done;
      }),
    'wallet.lock': () =>
      serial(async () => {
        await stopEngines();
        walletKey?.fill(0);
        walletKey = undefined;
        opts.events.publish('wallet.changed', status());
        return done;
      }),
    'wallet.changePassword': ({ oldPassword, newPassword }) =>
      serial(async () => {
        if (vault.lock === null) return fail('bad-input', 'Set a wallet password first.');
        const key = await openPasswordLock(deps, vault.lock, oldPassword);
        if (key === undefined) return fail('wrong-password', 'The current password is wrong. Nothing was changed.');
        const weak = checkNewPassword(newPassword);
        if (weak !== undefined) return weak;
        await commit({ ...vault, lock: await lockWalletKey(deps, newPassword, key) });
        return done;
      }),
    'cards.list': async () => ({ ok: true, value: { cards: cards() } }),
    'cards.create': ({ name }) =>
      serial(async () => {
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        const checked = checkCardName(name);
        if (!checked.ok) return checked;
        const id = toBase64Url(opts.random(16));
        const seed = opts.random(32);
        const card: VaultCard = {
          id,
          name: checked.value,
          kind: 'local',
          publicKey: opts.crypto.ed25519PublicKey(seed),
          seed: sealCardSeed(deps, walletKey as Uint8Array, id, seed),
          backedUpAt: null,
        };
        try {
          try {
            await engines?.create(id, card.publicKey);
            await commit({ ...vault, cards: [...vault.cards, card] });
          } catch (e) {
            await engines?.destroy(id); // no folder without a card in the vault
            throw e;
          }
          await engines?.start(id, card.publicKey, seed).catch((e: unknown) => startFailed(id, e));
        } finally {
          seed.fill(0);
        }
        opts.events.publish('cards.changed', { cards: cards() });
        return { ok: true, value: { card: view(card) } };
      }),
    'cards.rename': ({ cardId, name }) =>
      serial(async () => {
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        const card = findCard(cardId);
        if (card === undefined) return unknownCard(cardId);
        const checked = checkCardName(name);
        if (!checked.ok) return checked;
        const renamed = { ...card, name: checked.value };
        await commit({ ...vault, cards: vault.cards.map((c) => (c.id === cardId ? renamed : c)) });
        opts.events.publish('cards.changed', { cards: cards() });
        return { ok: true, value: { card: view(renamed) } };
      }),
    'cards.remove': ({ cardId }) =>
      serial(async () => {
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        // the renderer has asked for confirmation (and offered a backup) before sending this
        const card = findCard(cardId);
        if (card === undefined) return unknownCard(cardId);
        await commit({ ...vault, cards: vault.cards.filter((c) => c.id !== cardId) });
        // the vault no longer names the card: only now stop its node and delete its folder
        if (card.kind === 'remote') await remotes?.stop(cardId);
        else await engines?.destroy(cardId);
        opts.events.publish('cards.changed', { cards: cards() });
        return done;
      }),
    'cards.import': ({ name, file, password }) =>
      serial(async () => {
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        const checked = checkCardName(name);
        if (file.kind === 'rcard') return importRemote(checked, file.text);
        if (engines === undefined) return unavailable('Importing a card');
        if (!checked.ok) return checked;
        const opened = await openCardBackup(deps, file.text, password);
        if (!opened.ok) return fail(opened.error.kind === 'wrong-password' ? 'wrong-password' : 'bad-input', opened.error.message);
        const { publicKey, seed, database } = opened.value;
        try {
          // it came from a backup file that opens: that counts as backed up (docs/wallet.md)
          return await addLocal(engines, checked.value, publicKey, seed, database, now());
        } finally {
          seed.fill(0);
        }
      }),
    'cards.importNode': ({ name, ident, database }) =>
      serial(async () => {
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        if (engines === undefined) return unavailable('Importing a node');
        const checked = checkCardName(name);
        if (!checked.ok) return checked;
        const parsed = parseIdent(ident, opts.crypto);
        if (!parsed.ok) return fail('bad-input', `This is not a usable identity file: ${parsed.error.message} Nothing was imported.`);
        const { privateKey, publicKey } = parsed.value;
        try {
          return await addLocal(engines, checked.value, publicKey, privateKey, database, null);
        } finally {
          privateKey.fill(0);
        }
      }),
    'cards.export': ({ cardId, password }) =>
      serial(async () => {
        const card = findCard(cardId);
        if (card === undefined) return unknownCard(cardId);
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        if (card.kind === 'remote') return fail('unavailable', REMOTE_NO_BACKUP);
        if (engines === undefined) return unavailable('Exporting a card');
        const weak = checkNewPassword(password);
        if (weak !== undefined) return weak;
        const seed = openCardSeed(deps, walletKey as Uint8Array, cardId, card.seed);
        if (seed === undefined) return fail('internal', 'The card\'s sealed key does not open with the wallet key.');
        try {
          const database = await engines.backupDatabase(cardId, card.publicKey, seed);
          const sealed = await sealCardBackup(deps, password, { publicKey: card.publicKey, seed, name: card.name, database });
          if (!sealed.ok) return fail('unavailable', sealed.error.message);
          return { ok: true, value: { fileName: backupFileName(card.name), text: sealed.value } };
        } finally {
          seed.fill(0);
        }
      }),
    'cards.backupSaved': ({ cardId }) =>
      serial(async () => {
        const locked = needUnlocked();
        if (locked !== undefined) return locked;
        const card = findCard(cardId);
        if (card === undefined) return unknownCard(cardId);
        if (card.kind === 'remote') return fail('unavailable', REMOTE_NO_BACKUP);
        await commit({ ...vault, cards: vault.cards.map((c) => (c.id === cardId ? { ...card, backedUpAt: now() } : c)) });
        opts.events.publish('cards.changed', { cards: cards() });
        return { ok: true, value: undefined };
      }),
    'cli.enable': ({ cardId, address }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'Command line access');
        if ('ok' in r) return r;
        return r.kind === 'remote' ? fail('unavailable', REMOTE_NO_CLI) : r.engines.cliEnable(cardId, address);
      }),
    'cli.disable': ({ cardId }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'Command line access');
        if ('ok' in r) return r;
        return r.kind === 'remote' ? fail('unavailable', REMOTE_NO_CLI) : r.engines.cliDisable(cardId);
      }),
    'cli.status': ({ cardId }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'Command line access');
        if ('ok' in r) return r;
        if (r.kind === 'remote') return { ok: true, value: { access: null } };
        const s = await r.engines.cliStatus(cardId);
        return s.ok ? { ok: true, value: { access: s.value } } : s;
      }),
    'cli.tickets.list': ({ cardId }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'App tickets');
        if ('ok' in r) return r;
        return r.kind === 'remote' ? fail('unavailable', REMOTE_NO_CLI) : r.engines.ticketsList(cardId);
      }),
    'cli.tickets.issue': ({ cardId, name, permissions }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'App tickets');
        if ('ok' in r) return r;
        return r.kind === 'remote' ? fail('unavailable', REMOTE_NO_CLI) : r.engines.ticketsIssue(cardId, name, permissions);
      }),
    'cli.tickets.trust': ({ cardId, name, ticket }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'App tickets');
        if ('ok' in r) return r;
        if (r.kind === 'remote') return fail('unavailable', REMOTE_NO_CLI);
        const t = await r.engines.ticketsTrust(cardId, name, ticket);
        return t.ok ? { ok: true, value: { ticket: t.value } } : t;
      }),
    'cli.tickets.revoke': ({ cardId, ticketId }) =>
      serial(async () => {
        const r = runnerFor(cardId, 'App tickets');
        if ('ok' in r) return r;
        return r.kind === 'remote' ? fail('unavailable', REMOTE_NO_CLI) : r.engines.ticketsRevoke(cardId, ticketId);
      }),
    'app.request': async ({ cardId, message }) => {
      const r = runnerFor(cardId, 'The app protocol');
      if ('ok' in r) return r;
      return r.kind === 'remote' ? r.remotes.appRequest(cardId, message) : r.engines.appRequest(cardId, message);
    },
    'app.connect': async ({ cardId }) => {
      const r = runnerFor(cardId, 'The app protocol');
      if ('ok' in r) return r;
      return r.kind === 'remote' ? r.remotes.connectApp(cardId) : r.engines.connectApp(cardId);
    },
  };

  // the idle lock, verifyPassword, the password rate limit and the safety settings (safety.ts)
  const safety = withSafety(handlers, {
    ...opts.safety,
    events: opts.events,
    checkPassword: (password) =>
      serial(async () => {
        if (vault.lock === null) return undefined;
        const key = await openPasswordLock(deps, vault.lock, password);
        key?.fill(0);
        return key !== undefined;
      }),
  });

  // invoice expiries (cancelled by the host at their time) and fee caps (card-prefs.ts)
  const cardPrefs = withCardPrefs(safety.handlers, { ...opts.cardPrefs, random: opts.random, events: opts.events });

  return {
    handlers: cardPrefs.handlers,
    cardSeed(cardId) {
      const card = findCard(cardId);
      if (card?.kind !== 'local' || walletKey === undefined) return undefined;
      return openCardSeed(deps, walletKey, cardId, card.seed);
    },
    close: () =>
      serial(async () => {
        safety.close();
        cardPrefs.close();
        await stopEngines();
        walletKey?.fill(0);
        walletKey = undefined;
      }),
  };
}
