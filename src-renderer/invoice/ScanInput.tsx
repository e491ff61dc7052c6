import { useEffect, useId, useRef, useState, type ClipboardEvent } from 'react';
import { describeOpenFileError, openTextFile, pickFile } from '../files/file-port.ts';
import { describeCameraError, scanWithCamera, type CameraScan } from '../qr/camera-scan.ts';
import { scanQrImage } from '../qr/qr-image.ts';
import { describeScanError } from '../qr/qr-pixels.ts';

/** Text of an Offset file or QR code, however the person has it: pasted (text, or a picture on
 *  the clipboard), an opened file, a QR picture, or the camera. `what` names it ("invoice"). */
export function ScanInput({ what, extensions, value, onChange, onError }: {
  readonly what: string;
  readonly extensions: readonly string[];
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly onError: (message: string) => void;
}) {
  const id = useId();
  const video = useRef<HTMLVideoElement | null>(null);
  const [camera, setCamera] = useState<CameraScan | undefined>(undefined);
  useEffect(() => () => camera?.stop(), [camera]);

  async function open(): Promise<void> {
    const r = await openTextFile(document, [...extensions, '.json', '.txt']);
    if (!r.ok) onError(describeOpenFileError(r.error));
    else if (r.value !== undefined) onChange(r.value.text);
  }

  async function picture(file: Blob, name: string): Promise<void> {
    const q = await scanQrImage(file);
    if (!q.ok) onError(`No ${what} QR code was read from ${name}: ${describeScanError(q.error)}`);
    else onChange(q.value);
  }

  async function readPicture(): Promise<void> {
    const r = await pickFile(document, ['image/*']);
    if (!r.ok) return onError(describeOpenFileError(r.error));
    if (r.value !== undefined) await picture(r.value.file, r.value.name);
  }

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>): void {
    const image = [...e.clipboardData.files].find((f) => f.type.startsWith('image/'));
    if (image === undefined) return; // text pastes normally
    e.preventDefault();
    void picture(image, 'the pasted picture');
  }

  function startCamera(): void {
    const v = video.current;
    if (v === null) return;
    const scan = scanWithCamera(v);
    setCamera(scan);
    void scan.result.then((r) => {
      setCamera(undefined);
      if (r.ok) onChange(r.value);
      else if (r.error.kind !== 'stopped') onError(describeCameraError(r.error));
    });
  }

  return (
    <div className="scan-input">
      <div className="field">
        <label htmlFor={`${id}-text`}>{what[0]?.toUpperCase()}{what.slice(1)} (file text or QR text)</label>
        <textarea id={`${id}-text`} rows={4} value={value} spellCheck={false} onPaste={onPaste}
          placeholder={`Paste the ${what}, or a picture of its QR code`} onChange={(e) => onChange(e.target.value)} />
      </div>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => void open()}>Open {article(what)} {what} file…</button>
        <button type="button" className="secondary" onClick={() => void readPicture()}>Read {article(what)} {what} QR picture…</button>
        {camera === undefined
          ? <button type="button" className="secondary" onClick={startCamera}>Scan with the camera</button>
          : <button type="button" className="secondary" onClick={() => camera.stop()}>Stop the camera</button>}
      </div>
      <video ref={video} className="camera" hidden={camera === undefined} muted playsInline aria-label={`Camera view for the ${what} QR code`} />
    </div>
  );
}

const article = (w: string): string => (/^[aeiou]/i.test(w) ? 'an' : 'a');
