/** A QR code of `text` drawn as a PNG for an <img>, kept while `text` stays the same: the blob
 *  (to save as a picture) and an object URL revoked when the text changes or the component goes.
 *  `undefined` text draws nothing. */
import { useEffect, useState } from 'react';
import { qrPng } from './qr-image.ts';

export interface QrPng {
  readonly png: { readonly blob: Blob; readonly url: string } | undefined;
  /** Why it could not be drawn, for people. */
  readonly error: string | undefined;
}

export function useQrPng(text: string | undefined): QrPng {
  const [png, setPng] = useState<QrPng['png']>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (text === undefined) return;
    let live = true;
    let url: string | undefined;
    qrPng(text).then((blob) => {
      if (!live) return;
      url = URL.createObjectURL(blob);
      setPng({ blob, url });
      setError(undefined);
    }, (e: unknown) => { if (live) setError(`The QR code could not be drawn: ${e instanceof Error ? e.message : String(e)}`); });
    return () => {
      live = false;
      if (url !== undefined) URL.revokeObjectURL(url);
      setPng(undefined);
    };
  }, [text]);
  return { png, error };
}
