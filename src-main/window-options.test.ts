import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  ELECTRON_CSP,
  contentSecurityPolicy,
  isAllowedRequest,
  isNavigationAllowed,
  isPermissionCheckGranted,
  isPermissionGranted,
  mainWindowOptions,
  securityHeaders,
} from './window-options.ts';

const directives = (csp: string): Map<string, string> =>
  new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(' ')[0] as string, d.split(' ').slice(1).join(' ')]));

describe('main window options', () => {
  it('isolates the renderer: context isolation, sandbox, no node, web security on', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
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
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('starts hidden until the renderer is ready', () => {
    expect(mainWindowOptions('/p').show).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows only the bundled renderer and no network in Electron', () => {
    const d = directives(ELECTRON_CSP);
    expect(d.get('default-src')).toBe("'none'");
    expect(d.get('script-src')).toBe("'self'");
    expect(d.get('style-src')).toBe("'self'");
    expect(d.get('connect-src')).toBe("'none'");
    expect(d.get('img-src')).toBe("'self' data: blob:");
    expect(d.get('object-src')).toBe("'none'");
    expect(d.get('frame-src')).toBe("'none'");
    expect(d.get('base-uri')).toBe("'none'");
    expect(d.get('form-action')).toBe("'none'");
    expect(d.get('frame-ancestors')).toBe("'none'");
    expect(ELECTRON_CSP).not.toMatch(/unsafe-|\*|https?:/);
  });

  it('lets the browser-mode page reach only its own WebSocket', () => {
    const d = directives(contentSecurityPolicy(['ws://127.0.0.1:4000']));
    expect(d.get('connect-src')).toBe('ws://127.0.0.1:4000');
    expect(d.get('script-src')).toBe("'self'");
  });

  it('is sent with hardening headers', () => {
    expect(securityHeaders(ELECTRON_CSP)).toMatchObject({
      'Content-Security-Policy': ELECTRON_CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
  });
});

describe('permissions and navigation', () => {
  it.each<[string, string, string, readonly string[] | undefined, boolean]>([
    ['the camera for the bundled renderer', 'media', APP_ENTRY_URL, ['video'], true],
    ['the microphone', 'media', APP_ENTRY_URL, ['audio'], false],
    ['camera and microphone together', 'media', APP_ENTRY_URL, ['video', 'audio'], false],
    ['media with no type', 'media', APP_ENTRY_URL, [], false],
    ['the camera for another origin', 'media', 'https://evil.example/', ['video'], false],
    ['the camera for a file: page', 'media', 'file:///tmp/x.html', ['video'], false],
    ['notifications (credit alerts)', 'notifications', APP_ENTRY_URL, undefined, true],
    ['notifications for another origin', 'notifications', 'https://evil.example/', undefined, false],
    ['geolocation', 'geolocation', APP_ENTRY_URL, undefined, false],
    ['clipboard reads', 'clipboard-read', APP_ENTRY_URL, undefined, false],
    ['opening external links', 'openExternal', APP_ENTRY_URL, undefined, false],
  ])('grants %s: %s', (_label, permission, url, types, granted) => {
    expect(isPermissionGranted(permission, url, types)).toBe(granted);
  });

  it('answers permission checks only for the camera and notifications of the bundled renderer', () => {
    expect(isPermissionCheckGranted('media', 'app://offset', 'video')).toBe(true);
    expect(isPermissionCheckGranted('media', 'app://offset', 'audio')).toBe(false);
    expect(isPermissionCheckGranted('media', 'https://evil.example', 'video')).toBe(false);
    expect(isPermissionCheckGranted('notifications', 'app://offset', undefined)).toBe(true);
    expect(isPermissionCheckGranted('notifications', 'https://evil.example', undefined)).toBe(false);
    expect(isPermissionCheckGranted('geolocation', 'app://offset', undefined)).toBe(false);
  });

  it.each<[string, boolean]>([
    ['app://offset/assets/index.js', true],
    ['blob:app://offset/6f1c2d3e-0000-4000-8000-000000000000', true],
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['devtools://devtools/bundled/inspector.html', true],
    ['https://example.com/tracker.js', false],
    ['http://127.0.0.1:8080/', false],
    ['file:///etc/passwd', false],
    ['blob:https://example.com/6f1c2d3e', false],
    ['app://other/index.html', false],
    ['ws://127.0.0.1:1/bridge', false],
  ])('lets the session load %s: %s', (url, allowed) => {
    expect(isAllowedRequest(url)).toBe(allowed);
  });

  it('blocks every navigation, even to the app itself', () => {
    for (const url of [APP_ENTRY_URL, 'https://example.com', 'file:///etc/passwd']) expect(isNavigationAllowed(url)).toBe(false);
  });
});
