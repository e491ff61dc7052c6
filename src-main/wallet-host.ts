/** The wallet host's wallet-level requests (issue 7 §1–2): the password lock and the cards'
 *  identities, sealed in the vault file. The wallet starts locked; nothing that needs a key works
 *  until it is unlocked; decrypted seeds stay in this process (`cardSeed`), never on the bridge.
 *
 *  NOT REAL YET (needs the node engine, issue 7): a card has an identity but no node, database,
 *  friends or balances; import/export, command line access and app requests answer
 *  `unavailable`. docs/wallet.md keeps the same list. */
import { toBase64Url, type Result } from '../src-core/codec/index.ts';
import type { CryptoBackend } from '../src-core/crypto/index.ts';
import type { BridgeError, CardView } from './bridge.ts';
import type { BridgeHandlers, EventHub } from './dispatcher.ts';
import {
  createPasswordLock,
  lockWalletKey,
  MIN_PASSWORD_LENGTH,
  openCardSeed,
  openPasswordLock,
  sealCardSeed,
  type Kdf,
} from './key-vault.ts';
import type { Vault, VaultCard } from './vault-file.ts';

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
}

export interface WalletHost {
  readonly handlers: BridgeHandlers;
  /** The decrypted seed of a card, for starting its node engine (main process only). */
  cardSeed(cardId: string): Uint8Array | undefined;
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

function checkNewPassword(password: string): Fail | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return fail('bad-input', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
  return undefined;
}

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

  const view = (c: VaultCard): CardView => ({ id: c.id, name: c.name, publicKey: toBase64Url(c.publicKey), kind: c.kind, online: false, balances: [] });
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
  const unavailable = (what: string): Fail => fail('unavailable', `${what} needs the node engine, which this build does not have yet.`);

  const handlers: BridgeHandlers = {
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
        walletKey = key;
        opts.events.publish('wallet.changed', status());
        return done;
      }),
    'wallet.lock': () =>
      serial(async () => {
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
        };
        seed.fill(0);
        await commit({ ...vault, cards: [...vault.cards, card] });
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
        if (findCard(cardId) === undefined) return unknownCard(cardId);
        await commit({ ...vault, cards: vault.cards.filter((c) => c.id !== cardId) });
        opts.events.publish('cards.changed', { cards: cards() });
        return done;
      }),
    'cards.import': async () => unavailable('Importing a card'),
    'cards.export': async ({ cardId }) => (findCard(cardId) ? unavailable('Exporting a card') : unknownCard(cardId)),
    'cli.enable': async ({ cardId }) => (findCard(cardId) ? unavailable('Command line access') : unknownCard(cardId)),
    'cli.disable': async ({ cardId }) => (findCard(cardId) ? unavailable('Command line access') : unknownCard(cardId)),
    'app.request': async ({ cardId }) => (findCard(cardId) ? unavailable('The app protocol') : unknownCard(cardId)),
  };

  return {
    handlers,
    cardSeed(cardId) {
      const card = findCard(cardId);
      if (card === undefined || walletKey === undefined) return undefined;
      return openCardSeed(deps, walletKey, cardId, card.seed);
    },
  };
}
