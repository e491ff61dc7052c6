/** Scanning a QR code with the camera (issue 8: pay by scanning an invoice, add a friend by
 *  scanning their code): getUserMedia, then frames read with jsqr until one holds a code. In
 *  Electron the host grants only the camera (window-options.ts); in browser mode the browser asks. */
import { readQrPixels } from './qr-pixels.ts';

export type CameraError =
  | { readonly kind: 'camera-denied' }
  | { readonly kind: 'no-camera' }
  | { readonly kind: 'camera-failed'; readonly detail: string }
  | { readonly kind: 'stopped' };

export type CameraResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: CameraError };

export interface CameraScan {
  /** Resolves with the first code seen, or an error; the camera is off once it resolves. */
  readonly result: Promise<CameraResult>;
  stop(): void;
}

const FRAME_INTERVAL_MS = 150;

function cameraError(e: unknown): CameraError {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return { kind: 'camera-denied' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return { kind: 'no-camera' };
  return { kind: 'camera-failed', detail: e instanceof Error ? e.message : String(e) };
}

/** Shows the camera in `video` and scans until a code is found or `stop()` is called. */
export function scanWithCamera(video: HTMLVideoElement, media: MediaDevices | undefined = navigator.mediaDevices as MediaDevices | undefined): CameraScan {
  let stopped = false;
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish: (r: CameraResult) => void = () => {};
  const result = new Promise<CameraResult>((resolve) => {
    finish = (r) => {
      if (timer !== undefined) clearTimeout(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
      video.srcObject = null;
      resolve(r);
    };
  });

  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  const frame = (): void => {
    if (stopped) return;
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (ctx !== null && w > 0 && h > 0) {
      canvas.width = w;
      canvas.height = h;
      ctx.drawImage(video, 0, 0, w, h);
      const read = readQrPixels(ctx.getImageData(0, 0, w, h).data, w, h);
      if (read.ok) return finish(read);
    }
    timer = setTimeout(frame, FRAME_INTERVAL_MS);
  };

  // undefined outside a secure context (a page not on https, 127.0.0.1 or the app scheme)
  if (media?.getUserMedia === undefined) {
    finish({ ok: false, error: { kind: 'no-camera' } });
    return { result, stop: () => { stopped = true; } };
  }
  media
    .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
    .then(async (s) => {
      stream = s;
      if (stopped) return finish({ ok: false, error: { kind: 'stopped' } });
      video.srcObject = s;
      video.muted = true;
      video.playsInline = true;
      await video.play();
      frame();
    })
    .catch((e: unknown) => finish({ ok: false, error: stopped ? { kind: 'stopped' } : cameraError(e) }));

  return {
    result,
    stop() {
      stopped = true;
      finish({ ok: false, error: { kind: 'stopped' } });
    },
  };
}

export function describeCameraError(e: CameraError): string {
  switch (e.kind) {
    case 'camera-denied':
      return 'The wallet may not use the camera. Allow camera access, or open a picture or file of the code instead.';
    case 'no-camera':
      return 'No camera was found. Open a picture or file of the code instead.';
    case 'camera-failed':
      return `The camera could not start (${e.detail}). Open a picture or file of the code instead.`;
    case 'stopped':
      return 'Scanning stopped.';
  }
}
