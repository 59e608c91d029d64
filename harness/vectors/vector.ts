// One input set for an op, derived from the scenario seed, with what the
// reference needs to judge the device's answer to it.
export interface Vector {
  id: string;
  inputs: Uint8Array[];
  /** Counts toward the op's instruction figure (e.g. a valid signature). */
  representative: boolean;
  /** An invalid or edge-case input by design (a tampered signature, an off-curve point): a wrong answer is a finding about the library, not a mismatch. */
  invalid?: boolean;
  note?: string;
  /** Opaque reference data for check(). */
  ref?: unknown;
}
