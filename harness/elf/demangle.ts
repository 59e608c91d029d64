// Rust symbol names made readable (legacy mangling, `_ZN...E`, what rustc
// emits by default): `_ZN4p25610arithmetic5field10field_impl6fe_mul17h...E`
// becomes `p256::arithmetic::field::field_impl::fe_mul`, the trailing
// `17h<hash>` dropped and the `$..$` escapes decoded. Anything else (C
// names, v0 `_R` names) is returned unchanged.
const ESCAPES: Record<string, string> = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

function unescape(seg: string): string {
  return seg
    .replace(/^_\$/, '$')
    .replace(/\$([A-Z]{1,2})\$/g, (m, k: string) => ESCAPES[k] ?? m)
    .replace(/\$u([0-9a-f]{2})\$/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\.\./g, '::');
}

export function demangleRust(name: string): string {
  if (!name.startsWith('_ZN') || !name.endsWith('E')) return name;
  const segs: string[] = [];
  let i = 3;
  while (i < name.length - 1) {
    const m = /^\d+/.exec(name.slice(i));
    if (!m) return name;
    const n = Number(m[0]);
    i += m[0].length;
    if (i + n > name.length - 1) return name;
    segs.push(name.slice(i, i + n));
    i += n;
  }
  if (segs.length > 1 && /^h[0-9a-f]{16}$/.test(segs.at(-1)!)) segs.pop();
  return segs.map(unescape).join('::');
}
