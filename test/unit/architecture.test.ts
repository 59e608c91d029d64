// The harness's layering, checked: no import cycle anywhere in harness/, and
// every import runs down the layers of docs/architecture.md (a module may
// import its own folder and folders of lower layers only). Type-only imports
// count too: a type is a dependency of the design even when it is erased.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const HARNESS = join(ROOT, 'harness');

/** Lowest first. A folder may import itself and anything of a lower rank. */
export const LAYERS: string[][] = [
  ['core'], // paths, user errors, small pure helpers
  ['contract', 'vectors'], // the C<->TS contract; deterministic inputs from a seed
  ['catalog'], // boards, libraries
  ['record'], // the result record every stage fills
  ['elf'],
  ['device'], // the device link: framing, QEMU boot, counts, deadlines
  ['links', 'cycles', 'wycheproof'],
  ['pki'],
  ['x509'],
  ['dtls', 'revocation', 'edhoc'],
  ['ops'], // what each op sends, how its answer is checked, protocol procedures
  ['host'],
  ['scenario'], // stages, in data-flow order
  ['plan'],
  ['build'],
  ['run'],
  ['results'],
  ['report'],
  ['gate'],
  ['fuzz', 'calibrate', 'soak'],
  ['commands'],
  ['cli.ts'],
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function importGraph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of walk(HARNESS)) {
    const src = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of src.matchAll(IMPORT)) deps.push(normalize(join(dirname(file), m[1] ?? m[2]!)).replace(/\.js$/, '.ts'));
    g.set(file, deps);
  }
  return g;
}

const folderOf = (file: string) => relative(HARNESS, file).split('/')[0]!;
const rankOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

/** Every cycle's members (strongly connected components of more than one module, or a self-import). */
export function cycles(g: Map<string, string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n); low.set(v, n); n++; stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) { on.delete(w); c.push(w); if (w === v) break; }
      if (c.length > 1 || (g.get(v) ?? []).includes(v)) out.push(c.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('harness architecture', () => {
  const g = importGraph();

  it('every folder of harness/ has a layer', () => {
    const folders = [...new Set([...g.keys()].map(folderOf))];
    expect(folders.filter((f) => rankOf(f) < 0)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(g)).toEqual([]);
  });

  it('imports run down the layers only', () => {
    const up: string[] = [];
    for (const [file, deps] of g) {
      const from = folderOf(file);
      for (const d of deps) {
        const to = folderOf(d);
        if (to !== from && rankOf(to) >= rankOf(from)) up.push(`${relative(ROOT, file)} -> ${relative(ROOT, d)}`);
      }
    }
    expect(up).toEqual([]);
  });

  it('every module opens with a comment saying what it is for', () => {
    const bare = [...g.keys()].filter((f) => !readFileSync(f, 'utf8').startsWith('//')).map((f) => relative(ROOT, f));
    expect(bare).toEqual([]);
  });

  it('no module is over 400 lines', () => {
    // ~350 is the aim; a module that holds one idea may run a little longer.
    const long = [...g.keys()].map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
