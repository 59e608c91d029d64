// The EDHOC variants (op ids edhoc-*): how the two parties name their
// credentials. Every variant is method 3 (static-static DH) with cipher
// suite 2, lakers 0.8.0's only method and suite, and the identifiers of
// RFC 9529's method-3 trace (C_I = -24, C_R = -8, kids h'2b' and h'32',
// CCS credentials with that trace's subjects), with the run's own keys.
export type IdCredForm = 'kid' | 'kccs' | 'x5t';

export interface EdhocVariant {
  id: string;
  summary: string;
  /** How ID_CRED_I and ID_CRED_R name the credentials: by kid, by value (kccs), or by an X.509 hash (x5t). */
  idCred: IdCredForm;
  /** Why this variant cannot be measured, if it cannot (every library is then unsupported, nothing is built). */
  unsupported?: string;
  notes: string[];
}

export const EDHOC_VARIANTS: EdhocVariant[] = [
  {
    id: 'edhoc-static-kid',
    summary: 'EDHOC (RFC 9528) method 3, static-DH keys in CCS credentials named by kid (1-byte kids), cipher suite 2; device = initiator, lakers responder on the host',
    idCred: 'kid',
    notes: ['ID_CRED_I/R = { 4: kid } with 1-byte kids, sent as one CBOR integer each (RFC 9528 3.5.3.2); both sides hold the other\'s CCS beforehand.'],
  },
  {
    id: 'edhoc-static-kccs',
    summary: 'EDHOC method 3 as edhoc-static-kid, but each side sends its CCS credential by value (ID_CRED = { 14: CCS })',
    idCred: 'kccs',
    notes: ['ID_CRED_I/R = { 14: CCS }: each CCS (with its subject and P-256 x and y) travels inside the encrypted part of message_2 and message_3; the receiver still checks it against the credential it expects.'],
  },
  {
    id: 'edhoc-static-x5t',
    summary: 'EDHOC method 3 with X.509 certificates named by x5t (a SHA-256/64 hash), as in the draft\'s "Static DH X.509s, x5t" row',
    idCred: 'x5t',
    unsupported: 'lakers 0.8.0 cannot: its credentials are CCS only (Credential::parse_ccs; CredentialType CCS/CCS_PSK), its ID_CRED kinds are kid (4) and kccs (14) only (IdCredType; any other label, e.g. x5t = 34, panics with "Invalid IdCredType"), its credential buffer is 192 B (BufferCred), smaller than an X.509 P-256 certificate of the test PKI (~480 B DER), and it parses and verifies no X.509',
    notes: [],
  },
];
