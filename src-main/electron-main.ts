/** Electron main process (ARCHITECTURE §3): one window on the bundled renderer, served from
 *  app://offset/ with the strict CSP; the bridge on IPC; no remote content, no navigation, no new
 *  windows, only the camera permission; native open/save dialogs (native-files.ts); a single instance. Bundled by build.node.ts into
 *  dist/main/electron-main.cjs (the package's `main`). */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, type WebContents } from 'electron';
import { join } from 'node:path';
import {
  IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_FILE_OPEN_CHANNEL, IPC_FILE_SAVE_CHANNEL, MAX_NATIVE_FILE_BYTES, type NativeOpenResult, type NativeSaveResult,
} from './bridge.ts';
import { encodeRejection } from './bridge-codec.ts';
import { openWalletHost } from './host.node.ts';
import { checkLink, createLinkQueue, linkFromArgv, OFFSET_SCHEME } from './protocol-link.ts';
import { applicationMenu } from './menu.ts';
import { checkOpenRequest, checkSaveRequest, dialogFilters, extensionOf } from './native-files.ts';
import { readChosenFile, saveChosenFile } from './native-files.node.ts';
import { APP_DIR_NAME } from './app-name.ts';
import { readStaticFile } from './static-files.node.ts';
import {
  APP_ENTRY_URL,
  APP_HOST,
  APP_SCHEME,
  ELECTRON_CSP,
  isAllowedRequest,
  isAppUrl,
  isNavigationAllowed,
  isPermissionCheckGranted,
  isPermissionGranted,
  mainWindowOptions,
  securityHeaders,
} from './window-options.ts';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

let mainWindow: BrowserWindow | undefined;

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!isNavigationAllowed(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isNavigationAllowed(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createWindow(): BrowserWindow {
  // __dirname is dist/main once bundled (CommonJS)
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs')));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = undefined;
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

const links = createLinkQueue();

async function main(): Promise<void> {
  // one data folder for Electron and browser mode (paths.node.ts defaultDataDir)
  app.setName(APP_DIR_NAME);
  app.setPath('userData', join(app.getPath('appData'), APP_DIR_NAME));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // offset: links (docs/wallet.md "offset: links"): the OS opens them with this app; each is
  // forwarded to the renderer as a `link.open` event once it has made its first bridge call
  if (process.defaultApp && process.argv[1] !== undefined) app.setAsDefaultProtocolClient(OFFSET_SCHEME, process.execPath, [process.argv[1]]);
  else app.setAsDefaultProtocolClient(OFFSET_SCHEME);
  app.on('open-url', (e, url) => { // macOS
    e.preventDefault();
    const link = checkLink(url);
    if (link !== undefined) links.deliver(link);
  });
  const startLink = linkFromArgv(process.argv.slice(1)); // Windows, Linux: the first start
  if (startLink !== undefined) links.deliver(startLink);
  app.on('second-instance', (_e, argv) => {
    const link = linkFromArgv(argv.slice(1)); // Windows, Linux: a link opened while running
    if (link !== undefined) links.deliver(link);
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_e, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
  // --offset-data-dir=DIR: another wallet folder (tests; several wallets side by side)
  const dataDir = app.commandLine.getSwitchValue('offset-data-dir') || app.getPath('userData');
  let opened;
  try {
    opened = await openWalletHost(dataDir, (e) => {
      process.stderr.write(`offset: internal error in the wallet host: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    });
  } catch (e) {
    dialog.showErrorBox('Offset cannot open the wallet', `${e instanceof Error ? e.message : String(e)}\n\nIs Offset already running in browser mode on ${dataDir}?`);
    app.quit();
    return;
  }
  const { dispatcher, events } = opened;
  links.connect((link) => events.publish('link.open', { link }));
  // the cards' nodes checkpoint and close their databases before the process ends
  let closed = false;
  app.on('will-quit', (e) => {
    if (closed) return;
    e.preventDefault();
    void opened.close().finally(() => {
      closed = true;
      app.quit();
    });
  });

  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    const file = await readStaticFile(rendererDir, url.pathname);
    if (file === undefined) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), { headers: { ...securityHeaders(ELECTRON_CSP), 'Content-Type': file.contentType } });
  });

  const ses = session.defaultSession;
  // no remote content: the page may load only its own app:// files and what it made itself
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url) });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionGranted(permission, details.requestingUrl, mediaTypes));
  });
  ses.setPermissionCheckHandler((_wc, permission, origin, details) => isPermissionCheckGranted(permission, origin, details.mediaType));

  ipcMain.handle(IPC_CALL_CHANNEL, async (e, message: unknown) => {
    if (!isAppUrl(e.senderFrame?.url ?? '')) {
      return encodeRejection({ id: null, error: { code: 'bad-message', message: 'calls come only from the wallet window' } });
    }
    const answer = await dispatcher.handle(message);
    links.rendererReady(); // its store listens for events by now
    return answer;
  });
  events.subscribe((text) => mainWindow?.webContents.send(IPC_EVENT_CHANNEL, text));
  // native open/save dialogs (preload: window.offsetFiles); the page never names a path
  ipcMain.handle(IPC_FILE_OPEN_CHANNEL, async (e, extensions: unknown): Promise<NativeOpenResult> => {
    const checked = checkOpenRequest(extensions);
    const win = BrowserWindow.fromWebContents(e.sender);
    if (!isAppUrl(e.senderFrame?.url ?? '') || !checked.ok || win === null) return { kind: 'failed', reason: 'refused' };
    const r = await dialog.showOpenDialog(win, { properties: ['openFile'], filters: dialogFilters(checked.value) });
    const path = r.filePaths[0];
    if (r.canceled || path === undefined) return { kind: 'cancelled' };
    return readChosenFile(path, MAX_NATIVE_FILE_BYTES);
  });
  ipcMain.handle(IPC_FILE_SAVE_CHANNEL, async (e, name: unknown, data: unknown): Promise<NativeSaveResult> => {
    const win = BrowserWindow.fromWebContents(e.sender);
    if (!isAppUrl(e.senderFrame?.url ?? '') || win === null) return { kind: 'failed', message: 'Files are saved only from the wallet window.' };
    const checked = checkSaveRequest(name, data);
    if (!checked.ok) return { kind: 'failed', message: `The file was not saved: ${checked.error}.` };
    const ext = extensionOf(checked.value.name);
    const r = await dialog.showSaveDialog(win, {
      defaultPath: join(app.getPath('documents'), checked.value.name),
      filters: dialogFilters(ext === undefined ? [] : [ext]),
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    if (r.canceled || r.filePath === undefined || r.filePath === '') return { kind: 'cancelled' };
    return saveChosenFile(r.filePath, checked.value.data);
  });

  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu(process.platform, app.getName())));
  mainWindow = createWindow();
  mainWindow.webContents.on('did-start-loading', () => {
    links.rendererGone(); // a reload: wait for the new page's first call
  });
  app.on('activate', () => {
    if (mainWindow === undefined) mainWindow = createWindow();
  });
}

void main();
