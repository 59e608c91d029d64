// The OCSP responder the device talks to during ocsp-check: each request
// datagram is parsed (harness/pki/ocsp.ts) and answered with a response
// signed for exactly the CertID asked, carrying the status this responder
// was told to give. In outage mode it never answers, so the device's
// receive times out (its virtual clock advances; nothing waits for real).
import type { NetPeer } from '../device/device.js';
import type { Issued } from '../pki/cert.js';
import { buildOcspResponse, ocspError, parseOcspRequest, type CertStatus } from '../pki/ocsp.js';

export type ResponderMode = 'good' | 'revoked' | 'unknown' | 'outage' | 'try-later' | 'wrong-signer';

export interface ResponderOptions {
  ca: Issued;
  /** Delegated responder certificate to sign with and embed; omitted: the CA signs. */
  delegate?: Issued;
  /** Signs with this instead (a forged response): wrong-signer mode. */
  forger?: Issued;
  mode: ResponderMode;
  /** What the responder believes is now (producedAt); thisUpdate 1 h earlier, nextUpdate 7 days on. */
  now: Date;
}

export interface Exchange {
  request: Uint8Array;
  response: Uint8Array | null;
  serials: bigint[];
  nonce?: Uint8Array;
}

export class OcspResponderPeer implements NetPeer {
  readonly exchanges: Exchange[] = [];
  private queue: Uint8Array[] = [];
  constructor(private readonly o: ResponderOptions) {}

  send(datagram: Uint8Array): void {
    const req = parseOcspRequest(datagram);
    const ex: Exchange = { request: datagram, response: null, serials: req.serials, nonce: req.nonce };
    this.exchanges.push(ex);
    if (this.o.mode === 'outage') return;
    if (this.o.mode === 'try-later') ex.response = ocspError(3);
    else {
      const status: CertStatus = this.o.mode === 'wrong-signer' ? 'good' : this.o.mode;
      const signer = this.o.mode === 'wrong-signer' ? this.o.forger : this.o.delegate;
      ex.response = buildOcspResponse({
        ca: this.o.ca,
        certId: req.certIds[0]!,
        status,
        revokedAt: new Date(this.o.now.getTime() - 5 * 86_400_000),
        producedAt: this.o.now,
        thisUpdate: new Date(this.o.now.getTime() - 3_600_000),
        nextUpdate: new Date(this.o.now.getTime() + 7 * 86_400_000),
        responder: signer,
        nonce: req.nonce,
      });
    }
    this.queue.push(ex.response);
  }

  async recv(): Promise<Uint8Array | null> {
    return this.queue.shift() ?? null;
  }
}
