#!/usr/bin/env node
// Prints a one-line-style apt list of `deb-src` entries mirroring the `deb`
// entries this machine already uses, so `apt-get source` reaches the same
// archive the binaries came from. No host name is written anywhere by us:
// every URI is copied from the machine's own configuration.
//
// Each entry for this machine's Debian release is repeated for the next
// stable release (same URIs, components and signed-by; the suite renamed,
// e.g. bookworm-security -> trixie-security), so newer library versions can
// be fetched as source too. setup.sh picks a source package by its upstream
// version, so the older release's versions are still the ones it fetches
// for the older pins.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const etc = process.argv[2] ?? '/etc/apt';
const out = new Set();

/** Debian codename -> the next stable release's codename. */
const NEXT_RELEASE = { bookworm: 'trixie' };
/** `bookworm`, `bookworm-updates`, `bookworm-security` -> the same suite of the next release, or null. */
function nextSuite(suite) {
  const m = /^([a-z]+)(-[a-z]+)?$/.exec(suite);
  const next = m && NEXT_RELEASE[m[1]];
  return next ? next + (m[2] ?? '') : null;
}
/** One deb-src line, and its next-release twin when there is one. */
function add(opts, uri, suite, components) {
  for (const s of [suite, nextSuite(suite)].filter(Boolean))
    out.add(`deb-src${opts} ${uri} ${s} ${components}`.trim());
}

function fromOneLine(text) {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line.startsWith('deb ')) continue;
    // deb [options] uri suite [component...]
    const m = /^deb((?:\s+\[[^\]]*\])?)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (m) add(m[1] ? ' ' + m[1].trim() : '', m[2], m[3], m[4]);
  }
}

function fromDeb822(text) {
  for (const stanza of text.split(/\n\s*\n/)) {
    const f = {};
    let key = null;
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (m) { key = m[1].toLowerCase(); f[key] = m[2].trim(); }
      else if (key && /^\s/.test(raw)) f[key] += ' ' + raw.trim();
    }
    if (!f.types || !f.types.split(/\s+/).includes('deb')) continue;
    if ((f.enabled ?? 'yes') === 'no') continue;
    const opts = f['signed-by'] && !f['signed-by'].includes('\n') && f['signed-by'].startsWith('/')
      ? ` [signed-by=${f['signed-by']}]` : '';
    for (const uri of (f.uris ?? '').split(/\s+/).filter(Boolean))
      for (const suite of (f.suites ?? '').split(/\s+/).filter(Boolean))
        add(opts, uri, suite, f.components ?? '');
  }
}

if (existsSync(join(etc, 'sources.list'))) fromOneLine(readFileSync(join(etc, 'sources.list'), 'utf8'));
const parts = join(etc, 'sources.list.d');
if (existsSync(parts)) {
  for (const name of readdirSync(parts).sort()) {
    const text = readFileSync(join(parts, name), 'utf8');
    if (name.endsWith('.list')) fromOneLine(text);
    else if (name.endsWith('.sources')) fromDeb822(text);
  }
}
if (out.size === 0) {
  console.error('deb-src-list: no deb entries found under ' + etc);
  process.exit(1);
}
process.stdout.write([...out].join('\n') + '\n');
