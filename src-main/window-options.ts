/** Security settings of the wallet's windows, kept as plain data so a test can assert them
 *  (issue 7: "A test asserts the BrowserWindow security options and the CSP").
 *  ARCHITECTURE §3: contextIsolation, sandbox, no nodeIntegration, strict CSP, no remote content,
 *  navigation and new windows blocked, camera (for QR scanning) and notifications (credit alerts) the only permissions. */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer is served from this privileged scheme, never from file:// or the network, so
 *  'self' in the CSP means exactly the bundled renderer. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'offset';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Strict CSP: only the bundled scripts and styles; images may be data:/blob: (QR codes drawn by
 *  the renderer); no frames, plugins, forms or base changes. `connect` lists what the page may
 *  open: nothing in Electron (IPC is not a connection), the host's own WebSocket in browser mode. */
export function contentSecurityPolicy(connect: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' blob:",
    `connect-src ${connect.length === 0 ? "'none'" : connect.join(' ')}`,
    "manifest-src 'self'",
    "worker-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const ELECTRON_CSP = contentSecurityPolicy([]);

/** Headers sent with every renderer file, in both modes. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
    'Cache-Control': 'no-store',
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Offset',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: true,
    },
  };
}

/** The permissions the renderer gets, asked for by the bundled renderer itself: the camera
 *  (video only, no microphone) for scanning QR codes, and notifications for credit alerts
 *  (src-renderer/alerts, the web Notification API). */
export function isPermissionGranted(permission: string, requestingUrl: string, mediaTypes: readonly string[] | undefined): boolean {
  if (permission === 'notifications') return isAppUrl(requestingUrl);
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}

/** Permission checks (as opposed to requests) Chromium makes on its own, e.g. before
 *  enumerateDevices: answer yes only for the camera from the bundled renderer. */
export function isPermissionCheckGranted(permission: string, requestingOrigin: string, mediaType: string | undefined): boolean {
  if (permission === 'notifications') return requestingOrigin === APP_ORIGIN;
  return permission === 'media' && requestingOrigin === APP_ORIGIN && (mediaType === undefined || mediaType === 'video');
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Requests the session lets through (everything else is cancelled: no remote content): the
 *  bundled renderer, blobs it made itself (a QR PNG or a file it saves), data: URLs (images it
 *  draws) and the devtools. */
export function isAllowedRequest(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('devtools:')) return true;
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  return isAppUrl(url);
}

/** Navigation policy: the window never leaves the bundled renderer (in-page hash changes do not
 *  count as navigation), and never opens another window. */
export function isNavigationAllowed(_url: string): boolean {
  return false;
}
