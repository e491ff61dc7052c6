/** Signing and checking node reports (the signed capacity snapshots of src-core/proto/index-server.ts). */
import { encode } from '../codec/index.ts';
import { type CryptoBackend, type Signer } from '../crypto/index.ts';
import {
  type NodeReportBody, type SignedNodeReport, nodeReportBody, nodeReportSignedBuffer,
} from '../proto/index.ts';

export function signNodeReport(crypto: CryptoBackend, signer: Signer, body: NodeReportBody): SignedNodeReport {
  return { body, signature: signer.sign(nodeReportSignedBuffer(crypto, encode(nodeReportBody, body))) };
}

export function verifyNodeReport(crypto: CryptoBackend, report: SignedNodeReport): boolean {
  let buffer: Uint8Array;
  try {
    buffer = nodeReportSignedBuffer(crypto, encode(nodeReportBody, report.body));
  } catch {
    return false; // not encodable: cannot have been signed
  }
  return crypto.ed25519Verify(report.body.node, buffer, report.signature);
}

/** Whether `a` replaces `b`: a later node time, or the same time and a higher counter. */
export function isNewerReport(a: NodeReportBody, b: NodeReportBody): boolean {
  return a.time > b.time || (a.time === b.time && a.counter > b.counter);
}
