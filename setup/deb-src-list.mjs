#!/usr/bin/env node
// Prints a one-line-style apt list of `deb-src` entries mirroring the `deb`
// entries this machine already uses, so `apt-get source` reaches the same
// archive the binaries came from. No host name is written anywhere by us:
// every URI is copied from the machine's own configuration.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const etc = process.argv[2] ?? '/etc/apt';
const out = new Set();

function fromOneLine(text) {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line.startsWith('deb ')) continue;
    out.add('deb-src' + line.slice(3));
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
        out.add(`deb-src${opts} ${uri} ${suite} ${f.components ?? ''}`.trim());
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
