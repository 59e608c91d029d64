// Energy cells and the note on what they leave out, shared by the sections
// that show a handshake's CPU energy (harness/cycles/energy.ts) beside its
// radio energy (harness/links). Driven by the records alone.
import type { ResultRecord } from '../../record/schema.js';

/** µJ to 0.1, as the radio figures are shown; null when there is none. */
export const uj = (x: number | undefined): number | null => (x === undefined ? null : Math.round(x * 10) / 10);

/**
 * Why some rows have no CPU energy (and so no total): no cycle model in the
 * run, or an MCU profile without a run-current figure. Empty when all have it.
 */
export function energyNote(rows: ResultRecord[]): string[] {
  const missing = rows.filter((r) => r.cpuEnergyUj === undefined);
  if (!missing.length) return [];
  const noCycles = missing.some((r) => r.ms === undefined);
  const profiles = [...new Set(missing.filter((r) => r.ms !== undefined).map((r) => r.cycleProfile ?? '?'))];
  const why = [
    ...(noCycles ? ['rows without ms have no cycle model (the scenario has no `cycles:`)'] : []),
    ...(profiles.length ? [`MCU profile${profiles.length > 1 ? 's' : ''} ${profiles.map((p) => `\`${p}\``).join(', ')} ha${profiles.length > 1 ? 've' : 's'} no run-current figure (data/mcu-profiles.yaml \`power:\`: none found that could be trusted), or the results were recorded before CPU energy was`] : []),
  ];
  return [`No CPU energy, and so no total, where it is empty: ${why.join('; ')}.`];
}
