/** The renderer's camera scanner (src-renderer/qr/camera-scan.ts) in a real Chromium whose fake
 *  camera films a QR code (a Y4M video made here from the code's pixels). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrVideoY4m } from './qr-video.ts';
import { bundleForPage, launchChromium } from './support.ts';

const PAYLOAD = 'offset:invoice:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w';

const y4mOf = (text: string): Buffer => qrVideoY4m(text, 5);

let dir: string;
let browser: Browser;
let bundle: string;
let server: Server;
/** A page on 127.0.0.1: a secure context, where the camera API exists (about:blank is not one). */
let pageUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-camera-'));
  const video = join(dir, 'qr.y4m');
  writeFileSync(video, y4mOf(PAYLOAD));
  bundle = await bundleForPage('src-renderer/qr/camera-scan.ts', 'offsetCamera');
  server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><video id="v"></video>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('camera scanner in Chromium', () => {
  it('reads the code the camera films, then turns the camera off', async () => {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    await page.addScriptTag({ content: bundle });
    const seen = await page.evaluate(async () => {
      type Camera = { scanWithCamera(v: HTMLVideoElement): { result: Promise<unknown>; stop(): void } };
      const video = document.getElementById('v') as HTMLVideoElement;
      const scan = (window as unknown as { offsetCamera: Camera }).offsetCamera.scanWithCamera(video);
      const result = await scan.result;
      return { result, cameraOff: video.srcObject === null };
    });
    expect(seen).toEqual({ result: { ok: true, value: PAYLOAD }, cameraOff: true });
    await page.close();
  });

  it('reports no camera outside a secure context', async () => {
    const page = await browser.newPage(); // about:blank
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(async () => {
      type Camera = { scanWithCamera(v: HTMLVideoElement): { result: Promise<unknown> } };
      return (window as unknown as { offsetCamera: Camera }).offsetCamera.scanWithCamera(document.createElement('video')).result;
    });
    expect(result).toEqual({ ok: false, error: { kind: 'no-camera' } });
    await page.close();
  });

  it('stops on request', async () => {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(async () => {
      type Camera = { scanWithCamera(v: HTMLVideoElement): { result: Promise<unknown>; stop(): void } };
      const scan = (window as unknown as { offsetCamera: Camera }).offsetCamera.scanWithCamera(document.getElementById('v') as HTMLVideoElement);
      scan.stop();
      return scan.result;
    });
    expect(result).toEqual({ ok: false, error: { kind: 'stopped' } });
    await page.close();
  });
});
