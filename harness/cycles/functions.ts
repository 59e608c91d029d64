// Per-function profile of one op: the cycles of each function's own
// instructions (self time, not including callees), the top functions, and
// the share spent in bignum arithmetic vs hashing vs everything else.
//
// Categories come from function names, per library:
//  hash    SHA-1/2/3, MD5, HMAC, Keccak: /sha|md5|keccak|hmac/ (all libraries)
//  bignum  multi-precision and field arithmetic (multiply, square, reduce,
//          add/sub mod, inversion), by each library's naming:
//            mbedTLS   mbedtls_mpi_*, mpi_*, mbedtls_ct_*, ecp_mod*, ecp_mod_p*
//            micro-ecc uECC_vli_*, vli_*, muladd, mul2add, omega_mult*, mod_sqrt*
//            P256-M4   P256_{mulmod,sqrmod,sqrmod_many,addmod,submod,times2,
//                      modinv*,divsteps*,matrix_mul*,mul_mod_n,reduce*,...}, mul288x288
//            wolfSSL   sp_256_* field/mont routines, sp_*, fp_*, mp_*
//            tinydtls  ecc.c field routines (fieldMult, fieldAdd, ...)
//            RustCrypto (lakers) p256's field and scalar arithmetic
//                      (p256::arithmetic::field::*, scalar::*), crypto-bigint
// Rust names are demangled first (elf/demangle.ts), as the reports show them.
//  other   point formulas, scalar recoding, ASN.1, glue, libc.
// Point-level routines (mbedtls ecp_double_jac, P256_double_j) are "other":
// their own instructions are coordinate bookkeeping; the field arithmetic
// they call is counted in the callees.
import { demangleRust } from '../elf/demangle.js';
import type { Elf } from '../elf/elf.js';

export type Category = 'bignum' | 'hash' | 'other';

const HASH = /sha(1|2|3|256|512)?|md5|keccak|hmac|ripemd/i;
const BIGNUM: RegExp[] = [
  /^mbedtls_mpi_|^mpi_|^mbedtls_ct_|^ecp_mod|^mbedtls_int_div|^(add|sub)(32|64)$|^mul64$|^carry64$/, // mbedTLS (incl. ecp_curves.c reduction helpers)
  /^uECC_vli_|^vli_|^muladd|^mul2add|^omega_mult|^mod_sqrt|^uECC_vli/, // micro-ecc
  /^P256_(mulmod|sqrmod|sqrmod_many|addmod|submod|times2|modinv|divsteps|matrix_mul|mul_mod_n|reduce|negate_mod|add_mod_n|check_range|jacobian_to_affine)|^mul288x288/, // P256-Cortex-M4
  /^sp_256_(mul|sqr|mont|add|sub|cond|norm|cmp|div|mod|from|to|rshift|lshift|inv|dbl)|^sp_(mul|sqr|add|sub|mont|div|mod|exptmod|cmp|lshd|rshd|clamp)|^fp_|^mp_/, // wolfSSL
  /^field(Mult|Add|Sub|Inv|Quad)|^fieldModP|^fieldModO|^ecc_(mult|add|sub)|^(add|sub|mult|rshift)$/, // tinydtls ecc.c
  /^p256::arithmetic::(field|scalar)|^crypto_bigint::|^primeorder::field/, // RustCrypto (lakers' crypto back-end)
  /^__aeabi_(l|ui|i)divmod|^__udivmoddi4|^__aeabi_uldivmod|^__aeabi_lmul$|^__muldi3$/, // libgcc/compiler-builtins helpers used by bignum code (ARMv6-M has no 32x32->64 multiply: RustCrypto's field multiply calls __aeabi_lmul)
];

export function categorize(name: string): Category {
  if (HASH.test(name)) return 'hash';
  if (BIGNUM.some((re) => re.test(name))) return 'bignum';
  return 'other';
}

export interface FunctionCost { name: string; cycles: number; share: number; category: Category }
export interface FunctionProfile {
  top: FunctionCost[];
  shares: Record<Category, number>;
}

export function functionProfile(perAddr: Map<number, number>, elf: Elf, topN = 10): FunctionProfile {
  const by = new Map<string, number>();
  let total = 0;
  for (const [addr, c] of perAddr) {
    const name = demangleRust(elf.symbolize(addr).split('+')[0]!);
    by.set(name, (by.get(name) ?? 0) + c);
    total += c;
  }
  const shares: Record<Category, number> = { bignum: 0, hash: 0, other: 0 };
  const all: FunctionCost[] = [...by].map(([name, cycles]) => ({ name, cycles, share: total ? cycles / total : 0, category: categorize(name) }));
  for (const f of all) shares[f.category] += f.share;
  all.sort((a, b) => b.cycles - a.cycles);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    top: all.slice(0, topN).map((f) => ({ ...f, cycles: Math.round(f.cycles), share: round(f.share) })),
    shares: { bignum: round(shares.bignum), hash: round(shares.hash), other: round(shares.other) },
  };
}

/** Calls of a function = executions of its first instruction. */
export function callsOf(counts: Map<number, number>, elf: Elf, name: string): number {
  return counts.get(elf.symbol(name).value & ~1) ?? 0;
}
