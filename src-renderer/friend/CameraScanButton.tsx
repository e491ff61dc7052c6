import { useEffect, useRef, useState } from 'react';
import { describeCameraError, scanWithCamera, type CameraScan } from '../qr/camera-scan.ts';

/** A "Scan with the camera" button and the camera view it opens: reads one QR code's text. */
export function CameraScanButton({ what, onText, onError }: {
  readonly what: string;
  readonly onText: (text: string) => void;
  readonly onError: (message: string) => void;
}) {
  const video = useRef<HTMLVideoElement | null>(null);
  const [scan, setScan] = useState<CameraScan | undefined>(undefined);
  useEffect(() => () => scan?.stop(), [scan]);

  function start(): void {
    const v = video.current;
    if (v === null) return;
    const s = scanWithCamera(v);
    setScan(s);
    void s.result.then((r) => {
      setScan(undefined);
      if (r.ok) onText(r.value);
      else if (r.error.kind !== 'stopped') onError(describeCameraError(r.error));
    });
  }

  return (
    <>
      {scan === undefined
        ? <button type="button" className="secondary" onClick={start}>Scan {what} with the camera</button>
        : <button type="button" className="secondary" onClick={() => scan.stop()}>Stop the camera</button>}
      <video ref={video} className="camera" hidden={scan === undefined} style={scan === undefined ? { display: 'none' } : undefined} muted playsInline aria-label={`Camera view for scanning ${what}`} />
    </>
  );
}
