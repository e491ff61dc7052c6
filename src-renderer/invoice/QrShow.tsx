import { saveFile } from '../files/file-port.ts';
import { useQrPng } from '../qr/use-qr-png.ts';

/** A QR code of `text` (the PNG another wallet scans), with "Save as file" (the file text) and
 *  "Save QR picture" (the same PNG). */
export function QrShow({ text, fileText, fileName, label }: {
  readonly text: string; readonly fileText: string; readonly fileName: string; readonly label: string;
}) {
  const { png, error } = useQrPng(text);
  const base = fileName.replace(/\.[a-z]+$/, '');
  return (
    <div className="qr-show">
      {png !== undefined && <img className="qr" src={png.url} alt={`${label} as a QR code`} />}
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => saveFile(document, fileName, new Blob([fileText], { type: 'application/json' }))}>
          Save {label.toLowerCase()} file
        </button>
        <button type="button" className="secondary" disabled={png === undefined}
          onClick={() => { if (png !== undefined) saveFile(document, `${base}.png`, png.blob); }}>
          Save QR picture
        </button>
      </div>
    </div>
  );
}
