// One call for whoever captured a handshake (the device relay, the OpenSSL
// test): decode, compare with the model, and cost it on every link profile.
import { onAir, type OnAirCost } from '../links/onair.js';
import type { LinkProfile } from '../links/profiles.js';
import { modelHandshake, type HandshakeConfig, type HandshakeModel, type ModelFlight } from './model.js';
import { compare, formatDifference, measuredShape, type Difference } from './compare.js';
import { decodeAll, handshakeDatagrams, totals, type Datagram, type DecodedDatagram } from './records.js';

export interface HandshakeAnalysis {
  decoded: DecodedDatagram[];
  /** Measured handshake flights in the model's terms. */
  flights: ModelFlight[];
  totals: ReturnType<typeof totals>;
  model: HandshakeModel;
  differences: Difference[];
  /** 'differs' makes a result's status a mismatch; every difference names its message. */
  modelCheck: 'equal' | 'differs';
  explanation: string[];
  onAir: OnAirCost[];
}

export function analyseHandshake(datagrams: Datagram[], config: HandshakeConfig, links: LinkProfile[] = []): HandshakeAnalysis {
  const decoded = decodeAll(datagrams);
  const model = modelHandshake(config);
  const differences = compare(decoded, model);
  const sizes = handshakeDatagrams(decoded).map((d) => ({ dir: d.dir, size: d.size }));
  return {
    decoded,
    flights: measuredShape(decoded),
    totals: totals(decoded),
    model,
    differences,
    modelCheck: differences.length ? 'differs' : 'equal',
    explanation: differences.map(formatDifference),
    onAir: links.map((p) => onAir(sizes, p)),
  };
}
