/** The Electron main process and preload as built (`buildMain`: the real esbuild bundles), run
 *  without the Electron binary: `require('electron')` answers a recorder of the calls they make
 *  (Electron is not ours; everything else — the wallet host on a temp folder, the dispatcher,
 *  native-files — is the real code). Checks the wiring issue 7 asks for: the single instance
 *  lock, the window's options and entry URL, only the camera permission, no remote content, the
 *  bridge on IPC from the wallet window only, the native open/save dialogs, the preload's API. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain } from './build.node.ts';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_FILE_OPEN_CHANNEL, IPC_FILE_SAVE_CHANNEL } from './bridge.ts';
import { REPO_ROOT } from './paths.node.ts';
import { APP_ENTRY_URL } from './window-options.ts';

type Fn = (...args: any[]) => any;
let outDir = '';
let dir = '';
beforeAll(async () => {
  // inside the repository, so the bundle resolves sql.js's wasm file from node_modules as the packaged app does
  mkdirSync(join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
  outDir = mkdtempSync(join(REPO_ROOT, 'node_modules', '.cache', 'offset-main-test-'));
  dir = mkdtempSync(join(tmpdir(), 'offset-electron-main-'));
  await buildMain(outDir);
}, 120_000);
afterAll(() => {
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Runs a CommonJS bundle with `electron` answered by `electron` and nothing else replaced. */
function runBundle(file: string, electron: unknown): void {
  const real = createRequire(file);
  const req = (id: string): unknown => (id === 'electron' ? electron : real(id));
  const module = { exports: {} };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', '__filename', '__dirname', readFileSync(file, 'utf8'))(req, module, module.exports, file, outDir);
}

/** What the main process asked of Electron. */
function recorder(appPath: string, dataDir: string, documents: string) {
  const rec = {
    ipc: new Map<string, Fn>(), appEvents: new Map<string, Fn>(), schemes: [] as any[], singleInstanceLocks: 0, quits: 0,
    protocolHandler: undefined as Fn | undefined, permissionRequest: undefined as Fn | undefined, permissionCheck: undefined as Fn | undefined,
    beforeRequest: undefined as Fn | undefined, windows: [] as any[], sent: [] as unknown[][], menu: undefined as unknown, errors: [] as string[],
    openChoice: undefined as string | undefined, saveChoice: undefined as string | undefined, dialogs: [] as any[],
    protocolClients: [] as string[], windowEvents: new Map<string, Fn>(),
  };
  let windowMade: () => void = () => {};
  const windowCreated = new Promise<void>((r) => { windowMade = r; });
  class BrowserWindow {
    readonly webContents = { send: (...a: unknown[]) => rec.sent.push(a), on: (event: string, f: Fn) => rec.windowEvents.set(event, f) };
    url = '';
    constructor(readonly options: any) {
      rec.windows.push(this);
      windowMade();
    }
    static fromWebContents(wc: unknown): BrowserWindow | null {
      return rec.windows.find((w) => w.webContents === wc) ?? null;
    }
    once(): void {}
    on(): void {}
    loadURL(url: string): Promise<void> {
      this.url = url;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      setName() {}, setPath() {}, getName: () => 'Offset', getAppPath: () => appPath,
      getPath: (name: string) => (name === 'documents' ? documents : join(dir, 'unused', name)),
      requestSingleInstanceLock: () => { rec.singleInstanceLocks++; return true; },
      setAsDefaultProtocolClient: (scheme: string) => { rec.protocolClients.push(scheme); return true; },
      on: (event: string, f: Fn) => rec.appEvents.set(event, f),
      whenReady: () => Promise.resolve(),
      commandLine: { getSwitchValue: (name: string) => (name === 'offset-data-dir' ? dataDir : '') },
      quit: () => { rec.quits++; },
    },
    BrowserWindow,
    dialog: {
      showErrorBox: (_t: string, m: string) => rec.errors.push(m),
      showOpenDialog: async (_w: unknown, o: unknown) => { rec.dialogs.push(o); return rec.openChoice === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [rec.openChoice] }; },
      showSaveDialog: async (_w: unknown, o: unknown) => { rec.dialogs.push(o); return rec.saveChoice === undefined ? { canceled: true } : { canceled: false, filePath: rec.saveChoice }; },
    },
    ipcMain: { handle: (channel: string, f: Fn) => rec.ipc.set(channel, f) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => { rec.menu = m; } },
    protocol: { registerSchemesAsPrivileged: (s: any[]) => rec.schemes.push(...s), handle: (_s: string, f: Fn) => { rec.protocolHandler = f; } },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: (f: Fn) => { rec.beforeRequest = f; } },
        setPermissionRequestHandler: (f: Fn) => { rec.permissionRequest = f; },
        setPermissionCheckHandler: (f: Fn) => { rec.permissionCheck = f; },
      },
    },
  };
  return { rec, electron, windowCreated };
}

describe('electron main process (bundled, without the Electron binary)', () => {
  it('wires one locked-down window, the bridge, the camera only and the native dialogs', async () => {
    const appPath = join(dir, 'app');
    mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Offset</title>');
    const documents = join(dir, 'documents');
    mkdirSync(documents);
    const { rec, electron, windowCreated } = recorder(appPath, join(dir, 'data'), documents);
    runBundle(join(outDir, 'electron-main.cjs'), electron);
    await windowCreated;

    expect(rec.singleInstanceLocks).toBe(1);
    expect(rec.appEvents.has('second-instance')).toBe(true);
    expect(rec.protocolClients).toEqual(['offset']);
    expect(rec.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    const [win] = rec.windows;
    expect(win.url).toBe(APP_ENTRY_URL);
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(outDir, 'preload.cjs') });
    expect(rec.menu).toEqual(expect.any(Array));

    // the renderer's files, with the CSP; nothing from elsewhere
    const page = await (rec.protocolHandler as Fn)(new Request('app://offset/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'none'/);
    expect((await (rec.protocolHandler as Fn)(new Request('app://offset/../secret'))).status).toBe(404);
    const cancelled = (url: string): boolean => {
      let answer: { cancel: boolean } | undefined;
      (rec.beforeRequest as Fn)({ url }, (a: { cancel: boolean }) => { answer = a; });
      return answer?.cancel === true;
    };
    expect(cancelled('https://example.com/x.js')).toBe(true);
    expect(cancelled('app://offset/assets/main.js')).toBe(false);

    // permissions: the camera (video only) from the wallet's own page, nothing else of the kind
    const grant = (permission: string, url: string, mediaTypes?: string[]): boolean => {
      let answer: boolean | undefined;
      (rec.permissionRequest as Fn)({}, permission, (a: boolean) => { answer = a; }, { requestingUrl: url, ...(mediaTypes === undefined ? {} : { mediaTypes }) });
      return answer === true;
    };
    expect(grant('media', 'app://offset/index.html', ['video'])).toBe(true);
    expect(grant('media', 'app://offset/index.html', ['video', 'audio'])).toBe(false);
    expect(grant('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(grant('geolocation', 'app://offset/index.html')).toBe(false);
    expect(grant('notifications', 'https://evil.example/')).toBe(false); // the wallet's own alerts only (window-options.ts)

    // the bridge: the real wallet host on the data folder, from the wallet window only
    const fromApp = { sender: win.webContents, senderFrame: { url: 'app://offset/index.html' } };
    const fromElsewhere = { sender: win.webContents, senderFrame: { url: 'https://evil.example/' } };
    const call = rec.ipc.get(IPC_CALL_CHANNEL) as Fn;
    expect(JSON.parse(await call(fromApp, JSON.stringify({ id: 1, name: 'wallet.status', args: {} })))).toEqual({ kind: 'response', id: 1, ok: true, value: { locked: true, hasPassword: false } });
    expect(JSON.parse(await call(fromElsewhere, JSON.stringify({ id: 2, name: 'wallet.create', args: { password: 'password 1234' } })))).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(JSON.parse(await call(fromApp, JSON.stringify({ id: 3, name: 'wallet.create', args: { password: 'password 1234' } })))).toMatchObject({ ok: true });
    expect(rec.sent).toContainEqual([IPC_EVENT_CHANNEL, expect.stringContaining('wallet.changed')]);
    // a card's node database: sql.js finds its wasm file from the bundle (build.node.ts's import.meta.url)
    expect(JSON.parse(await call(fromApp, JSON.stringify({ id: 4, name: 'cards.create', args: { name: 'Main' } })))).toMatchObject({ ok: true, value: { card: { name: 'Main', online: true } } });

    // an offset: link from the OS reaches the page (which has made its first call) as an event
    (rec.appEvents.get('open-url') as Fn)({ preventDefault() {} }, 'offset:invoice:abc');
    expect(rec.sent).toContainEqual([IPC_EVENT_CHANNEL, expect.stringMatching(/"link\.open".*offset:invoice:abc/)]);

    // native dialogs: checked requests, the file the person chose, atomic writes
    const open = rec.ipc.get(IPC_FILE_OPEN_CHANNEL) as Fn;
    const save = rec.ipc.get(IPC_FILE_SAVE_CHANNEL) as Fn;
    expect(await open(fromElsewhere, ['.invoice'])).toEqual({ kind: 'failed', reason: 'refused' });
    expect(await open(fromApp, ['../etc'])).toEqual({ kind: 'failed', reason: 'refused' });
    expect(rec.dialogs).toEqual([]); // refused before any dialog
    expect(await open(fromApp, ['.invoice'])).toEqual({ kind: 'cancelled' });
    expect(rec.dialogs[0]).toMatchObject({ properties: ['openFile'], filters: [{ name: 'Offset invoice', extensions: ['invoice'] }, { name: 'All files', extensions: ['*'] }] });
    writeFileSync(join(documents, 'a.invoice'), '{"kind":"invoice"}');
    rec.openChoice = join(documents, 'a.invoice');
    expect(await open(fromApp, ['.invoice'])).toEqual({ kind: 'opened', name: 'a.invoice', text: '{"kind":"invoice"}' });
    expect(await save(fromElsewhere, 'x.receipt', Uint8Array.of(1))).toMatchObject({ kind: 'failed' });
    expect(await save(fromApp, 'x.receipt', 'not bytes')).toMatchObject({ kind: 'failed' });
    rec.saveChoice = join(documents, 'Travel.offset-card');
    expect(await save(fromApp, 'Travel.offset-card', new TextEncoder().encode('backup'))).toEqual({ kind: 'saved', name: 'Travel.offset-card' });
    expect(rec.dialogs.at(-1)).toMatchObject({ defaultPath: join(documents, 'Travel.offset-card'), filters: [{ name: 'Offset card backup', extensions: ['offset-card'] }, { name: 'All files', extensions: ['*'] }] });
    expect(readFileSync(join(documents, 'Travel.offset-card'), 'utf8')).toBe('backup');

    // quitting closes the wallet host first (its lock file released), then quits
    let prevented = 0;
    (rec.appEvents.get('will-quit') as Fn)({ preventDefault: () => { prevented++; } });
    expect(prevented).toBe(1);
    for (let i = 0; i < 200 && rec.quits === 0; i++) await new Promise((r) => setTimeout(r, 10)); // bounded wait for the close
    expect(rec.quits).toBe(1);
    expect(rec.errors).toEqual([]);
  }, 60_000);
});

describe('preload (bundled)', () => {
  it('exposes exactly the bridge and the native dialogs, on their channels', async () => {
    const exposed = new Map<string, any>();
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: { invoke: async (...a: unknown[]) => { invoked.push(a); return 'answer'; }, on() {}, removeListener() {} },
    };
    runBundle(join(outDir, 'preload.cjs'), electron);
    expect([...exposed.keys()]).toEqual(['offset', 'offsetFiles']);
    expect(Object.keys(exposed.get('offset'))).toEqual(['call', 'onEvent']);
    expect(Object.keys(exposed.get('offsetFiles'))).toEqual(['openText', 'save']);
    const extensions = ['.invoice'];
    await exposed.get('offsetFiles').openText(extensions);
    await exposed.get('offsetFiles').save('a.receipt', Uint8Array.of(1));
    await exposed.get('offset').call('{"id":1}');
    await expect(exposed.get('offset').call(5)).rejects.toThrow(TypeError);
    expect(invoked).toEqual([[IPC_FILE_OPEN_CHANNEL, ['.invoice']], [IPC_FILE_SAVE_CHANNEL, 'a.receipt', Uint8Array.of(1)], [IPC_CALL_CHANNEL, '{"id":1}']]);
    expect(invoked[0]?.[1]).not.toBe(extensions); // a copy crosses, not the page's array
  });
});
