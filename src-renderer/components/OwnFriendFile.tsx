import { useEffect, useState } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { ownFriendText } from '../card/friend-input.ts';
import { saveFile } from '../files/file-port.ts';
import { qrPng } from '../qr/qr-image.ts';

/** The card's public key, and on request its friend file as text and as a QR code. */
export function OwnFriendFile({ report, cardName }: { readonly report: NodeReport; readonly cardName: string }) {
  const [shown, setShown] = useState(false);
  const [qrUrl, setQrUrl] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const text = ownFriendText(report, cardName);

  useEffect(() => {
    if (!shown) return;
    let url: string | undefined;
    let live = true;
    qrPng(text).then((blob) => {
      if (!live) return;
      url = URL.createObjectURL(blob);
      setQrUrl(url);
    }, (e: unknown) => setError(`The QR code could not be drawn: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
      if (url !== undefined) URL.revokeObjectURL(url);
      setQrUrl(undefined);
    };
  }, [shown, text]);

  return (
    <>
      <p className="card-meta">Public key: <code className="public-key">{toBase64Url(report.localPublicKey)}</code></p>
      <div className="card-actions">
        <button type="button" className="secondary" aria-expanded={shown} onClick={() => setShown(!shown)}>
          {shown ? 'Hide my friend file' : 'Show my friend file'}
        </button>
        {shown && (
          <button type="button" className="secondary" onClick={() => saveFile(document, `${cardName || 'card'}.friend`, new Blob([text], { type: 'application/json' }))}>
            Save friend file
          </button>
        )}
      </div>
      {shown && (
        <div className="friend-file">
          <p className="lead">Give this to a friend (as text, file or QR code); they add you with it, and you add them with theirs.</p>
          <pre aria-label="My friend file">{text}</pre>
          {qrUrl !== undefined && <img className="qr" src={qrUrl} alt="My friend file as a QR code" />}
          {error !== undefined && <p role="alert" className="message error">{error}</p>}
        </div>
      )}
    </>
  );
}
