import { useState } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { ownFriendText } from '../card/friend-input.ts';
import { saveFile } from '../files/file-port.ts';
import { useQrPng } from '../qr/use-qr-png.ts';

/** The card's public key, and on request its friend file as text and as a QR code. */
export function OwnFriendFile({ report, cardName }: { readonly report: NodeReport; readonly cardName: string }) {
  const [shown, setShown] = useState(false);
  const text = ownFriendText(report, cardName);
  const { png, error } = useQrPng(shown ? text : undefined);

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
          {png !== undefined && <img className="qr" src={png.url} alt="My friend file as a QR code" />}
          {error !== undefined && <p role="alert" className="message error">{error}</p>}
        </div>
      )}
    </>
  );
}
