/** stmgr: identities, tickets, node databases and remote cards (seeds/000_* "Initial setup",
 *  seeds/001_* advanced tutorial; short flags -i -o -a as the original's stmgr). Every output is written atomically and never replaces an
 *  existing file unless --force is given; init-node-db never replaces a database at all. */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nodeBackend } from '../crypto/backend.node.ts';
import {
  type AddressTicketKind, formatAddressTicket, formatAppTicket, formatIdent, formatRcard, identFromSeed, parseIdent,
  parseNetAddress, MAX_NAME_BYTES,
} from '../files/index.ts';
import { type CommandSpec, type OptionSpec, type Parsed, CliError, UsageError } from './args.ts';
import { loadFile, saveFile } from './file-io.ts';
import { runProgram } from './program.ts';

const output: OptionSpec = { long: 'output', short: 'o', value: 'FILE', required: true, help: 'the file to write' };
const idfile: OptionSpec = { long: 'idfile', short: 'i', value: 'FILE', required: true, help: 'identity file (.ident)' };
const address: OptionSpec = { long: 'address', short: 'a', value: 'HOST:PORT', required: true, help: 'public address, e.g. 127.0.0.1:9500' };
const force: OptionSpec = { long: 'force', flag: true, help: 'replace the output file if it exists' };

const SPEC: CommandSpec = {
  name: 'stmgr',
  help: 'Offset manager: identities, tickets, node databases and remote cards',
  options: [],
  commands: [
    { name: 'gen-ident', help: 'create a new identity file (mode 0600)', options: [output, force] },
    { name: 'init-node-db', help: "create a node's database, bound to its identity (never replaces one)", options: [idfile, output] },
    { name: 'node-ticket', help: 'create a node ticket, for apps to connect to the node', options: [idfile, address, output, force] },
    {
      name: 'app-ticket',
      help: "create an app ticket, to put in a node's trusted directory",
      options: [
        idfile,
        { long: 'pbuyer', flag: true, help: 'permission to buy (send funds, pay invoices)' },
        { long: 'pseller', flag: true, help: 'permission to sell (issue and collect invoices)' },
        { long: 'pconfig', flag: true, help: 'permission to configure the node' },
        { long: 'proutes', flag: true, help: 'permission to request routes' },
        { long: 'pfunds', flag: true, help: 'permission to send funds (same as --pbuyer)' },
        output, force,
      ],
    },
    { name: 'relay-ticket', help: 'create a relay ticket, for nodes to use the relay', options: [idfile, address, output, force] },
    { name: 'index-ticket', help: 'create an index server ticket, for nodes or other index servers', options: [idfile, address, output, force] },
    {
      name: 'node-entry',
      help: 'create a remote card (.rcard): lets an app (wallet, phone) drive a remote node',
      options: [
        address,
        { long: 'appid', value: 'FILE', required: true, help: "the app's identity file (its ticket must be trusted by the node)" },
        { long: 'nodeid', value: 'FILE', required: true, help: "the node's identity file" },
        { long: 'name', value: 'NAME', help: 'name of the card (default: the output file name)' },
        output, force,
      ],
    },
  ],
};

const value = (p: Parsed, name: string): string => {
  const v = p.values.get(name);
  if (v === undefined) throw new UsageError(`missing required option --${name}`);
  return v;
};

function checkedAddress(text: string): string {
  const r = parseNetAddress(text);
  if (!r.ok) throw new UsageError(`--address: ${r.problem}`);
  return text;
}

const readIdent = (path: string) => loadFile(path, 'ident', (t) => parseIdent(t, nodeBackend));

async function addressTicket(p: Parsed, kind: AddressTicketKind): Promise<void> {
  const addr = checkedAddress(value(p, 'address'));
  const ident = await readIdent(value(p, 'idfile'));
  await saveFile(value(p, 'output'), kind, formatAddressTicket(kind, { publicKey: ident.publicKey, address: addr }), p.flags.has('force'));
}

function cardName(p: Parsed): string {
  const given = p.values.get('name');
  const name = given ?? (value(p, 'output').split(/[\\/]/).pop() ?? '').replace(/\.[^.]*$/, '');
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new UsageError(`--name: expected at most ${MAX_NAME_BYTES} bytes without control characters`);
  }
  return name;
}

async function initNodeDb(p: Parsed): Promise<void> {
  const ident = await readIdent(value(p, 'idfile'));
  const path = value(p, 'output');
  const dir = dirname(path);
  const isDir = await stat(dir).then((st) => st.isDirectory(), () => false);
  if (!isDir) throw new CliError(`${dir}: no such directory`);
  // imported here so the other commands do not load sql.js
  const { initNodeDatabase, isStoreError } = await import('../store/index.node.ts');
  try {
    await initNodeDatabase(path, ident.publicKey);
  } catch (e) {
    if (isStoreError(e, 'already-exists')) throw new CliError(`${path}: already exists (init-node-db never replaces a database)`);
    if (isStoreError(e)) throw new CliError(e.message);
    throw e;
  }
}

export async function main(argv: string[]): Promise<number> {
  return runProgram('stmgr', SPEC, argv, async (p) => {
    const cmd = p.path[0];
    switch (cmd) {
      case 'gen-ident': {
        const ident = identFromSeed(nodeBackend, nodeBackend.randomBytes(32));
        await saveFile(value(p, 'output'), 'ident', formatIdent(ident), p.flags.has('force'));
        return;
      }
      case 'init-node-db':
        return initNodeDb(p);
      case 'node-ticket':
        return addressTicket(p, 'node-ticket');
      case 'relay-ticket':
        return addressTicket(p, 'relay-ticket');
      case 'index-ticket':
        return addressTicket(p, 'index-ticket');
      case 'app-ticket': {
        const ident = await readIdent(value(p, 'idfile'));
        const f = p.flags;
        const permissions = {
          buyer: f.has('pbuyer') || f.has('pfunds'),
          seller: f.has('pseller'),
          config: f.has('pconfig'),
          routes: f.has('proutes'),
        };
        await saveFile(value(p, 'output'), 'app-ticket', formatAppTicket({ publicKey: ident.publicKey, permissions }), f.has('force'));
        return;
      }
      case 'node-entry': {
        const addr = checkedAddress(value(p, 'address'));
        const name = cardName(p);
        const app = await readIdent(value(p, 'appid'));
        const node = await readIdent(value(p, 'nodeid'));
        const text = formatRcard({ name, nodePublicKey: node.publicKey, address: addr, appPrivateKey: app.privateKey, appPublicKey: app.publicKey });
        await saveFile(value(p, 'output'), 'rcard', text, p.flags.has('force'));
        return;
      }
      default:
        throw new UsageError(`unknown command '${String(cmd)}'`);
    }
  });
}
