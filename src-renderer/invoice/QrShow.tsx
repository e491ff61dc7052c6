import { useEffect, useState } from 'react';
import { saveFile } from '../files/file-port.ts';
import { qrPng } from '../qr/qr-image.ts';

/** A QR code of `text` (the PNG another wallet scans), with "Save as file" (the file text) and
 *  "Save QR picture" (the same PNG). */
export function QrShow({ text, fileText, fileName, label }: {
  readonly text: string; readonly fileText: string; readonly fileName: string; readonly label: string;
}) {
  const [png, setPng] = useState<{ blob: Blob; url: string } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let url: string | undefined;
    qrPng(text).then((blob) => {
      if (!live) return;
      url = URL.createObjectURL(blob);
      setPng({ blob, url });
    }, (e: unknown) => setError(`The QR code could not be drawn: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
      if (url !== undefined) URL.revokeObjectURL(url);
      setPng(undefined);
    };
  }, [text]);
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
