// The device's notion of time, as an input. The harness decides what time
// the device would believe in each situation and sets the device clock to
// it (core op set-time); the libraries then check dates against it.
//
// "Secure time" is a policy a device can implement without a trusted time
// source: never believe a time earlier than the firmware's build time, and
// never earlier than the last time it knew to be good (stored at every
// successful sync). It is monotonic and fails safe against a clock that
// was reset, but not against one that runs fast, and after months offline
// it still believes a time months in the past.
import { days } from '../pki/chain.js';

/** The benchmarks' "true now": fixed, so results never depend on when they ran. */
export const TRUE_NOW = new Date('2026-06-01T00:00:00Z');

/** What a device following the secure-time policy believes. rtc null or 0 = no (or lost) clock. */
export function secureTime(p: { rtc: Date | null; buildTime: Date; lastKnownGood?: Date }): Date {
  const t = Math.max(p.rtc?.getTime() ?? 0, p.buildTime.getTime(), p.lastKnownGood?.getTime() ?? 0);
  return new Date(t);
}

export interface ClockCase {
  id: string;
  label: string;
  /** Unix seconds the device believes; 0 = no clock at all. */
  believed: number;
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function clockCases(now = TRUE_NOW, driftDays = 30): ClockCase[] {
  return [
    { id: 'no-clock', label: 'no clock (never set: 0 = 1970)', believed: 0 },
    { id: 'correct', label: 'correct', believed: unix(now) },
    { id: `fast-${driftDays}d`, label: `drifted +${driftDays} days`, believed: unix(days(now, driftDays)) },
    { id: `slow-${driftDays}d`, label: `drifted -${driftDays} days`, believed: unix(days(now, -driftDays)) },
    { id: 'secure-build-time', label: 'secure time, clock lost: floor = firmware build time (-240 d)', believed: unix(secureTime({ rtc: null, buildTime: days(now, -240) })) },
    { id: 'secure-last-good', label: 'secure time, clock lost: last known good time (-120 d, offline since)', believed: unix(secureTime({ rtc: null, buildTime: days(now, -240), lastKnownGood: days(now, -120) })) },
    { id: 'secure-slow-rtc', label: `secure time, clock -${driftDays} d but last known good -2 d`, believed: unix(secureTime({ rtc: days(now, -driftDays), buildTime: days(now, -240), lastKnownGood: days(now, -2) })) },
  ];
}

export type Truth = 'valid' | 'expired' | 'not-yet-valid';

export interface CertCase {
  id: string;
  label: string;
  notBefore: Date;
  notAfter: Date;
  truth: Truth;
}

/** Leaf validity windows relative to the true time (the CAs are valid 2020-2045). */
export function certCases(now = TRUE_NOW): CertCase[] {
  const c = (id: string, label: string, from: number, to: number): CertCase => {
    const notBefore = days(now, from), notAfter = days(now, to);
    const truth: Truth = now < notBefore ? 'not-yet-valid' : now > notAfter ? 'expired' : 'valid';
    return { id, label, notBefore, notAfter, truth };
  };
  return [
    c('valid', 'valid (issued 45 d ago, 1 year)', -45, 320),
    c('expired', 'expired 10 days ago', -400, -10),
    c('not-yet-valid', 'valid from 10 days on', 10, 375),
    c('shelf-renewed', 'short-lived 90 d cert renewed while the device sat offline', -20, 70),
    c('shelf-expired', 'the cert the device shipped with, expired 60 days ago', -300, -60),
  ];
}
