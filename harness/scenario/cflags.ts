// What a scenario may pass to the compiler (build.cflags): an allow-list,
// each refusal with its reason. A scenario file is input, not code: a flag
// must not make gcc load a shared object (-fplugin), run another program
// (-B, -wrapper), read or write files outside the build (-I, -o, -fdump-*),
// change the linking (-Wl, -T, -flto) or change the core, FPU or ABI the
// board file sets (-mcpu, -mfloat-abi, -fshort-enums): those would fail deep
// in the build or, worse, measure something else than the board.
//
// Allowed:
//   -DNAME, -DNAME=VALUE   (VALUE of letters, digits and _ . , + - =)
//   -UNAME
//   -include FILE          a regular file under the scenario file's folder
//   -W<warning>, -Wno-<warning>, -Werror[=<warning>]
//   -f and -m options from the vetted lists below (optimisation and code
//   layout choices that keep the core, the ABI and the linking as they are)
// Every flag travels through make and a shell (firmware/Makefile), so only
// characters that mean nothing to either are accepted.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { SCENARIO_MAX_BYTES } from '../core/input-file.js';

export const MAX_CFLAGS = 32;
export const MAX_CFLAG_LENGTH = 256;

/** -f options a scenario may pass (with or without their `no-` form where gcc has one). */
const F_VETTED = new Set([
  'omit-frame-pointer', 'inline', 'inline-functions', 'inline-small-functions', 'inline-functions-called-once',
  'unroll-loops', 'unroll-all-loops', 'peel-loops', 'tree-vectorize', 'tree-loop-vectorize', 'tree-slp-vectorize',
  'strict-aliasing', 'wrapv', 'trapv', 'delete-null-pointer-checks', 'common', 'builtin',
  'function-sections', 'data-sections', 'pic', 'PIC', 'pie', 'PIE',
  'optimize-sibling-calls', 'ipa-ra', 'ipa-cp', 'ipa-sra', 'jump-tables', 'gcse', 'schedule-insns', 'schedule-insns2',
  'reorder-blocks', 'reorder-functions', 'tree-loop-distribute-patterns', 'move-loop-invariants', 'merge-constants',
  'asynchronous-unwind-tables', 'unwind-tables', 'ident', 'stack-usage', 'split-wide-types', 'tree-switch-conversion',
  'if-conversion', 'if-conversion2', 'shrink-wrap', 'crossjumping', 'code-hoisting', 'tree-pre', 'tree-vrp', 'ipa-icf',
]);
/** -f options with a numeric value. */
const F_NUMERIC = new Set(['align-functions', 'align-loops', 'align-jumps', 'align-labels', 'inline-limit', 'max-errors']);
/** -m options a scenario may pass: code placement and PIC choices within the board's core. */
const M_VETTED = new Set([
  'unaligned-access', 'no-unaligned-access', 'slow-flash-data', 'long-calls', 'no-long-calls', 'single-pic-base',
  'no-single-pic-base', 'pic-data-is-text-relative', 'no-pic-data-is-text-relative', 'poke-function-name', 'thumb',
  'thumb-interwork', 'no-thumb-interwork', 'tpcs-frame', 'tpcs-leaf-frame', 'sched-prolog', 'no-sched-prolog', 'pure-code',
]);

/** Refusals with a reason of their own, by prefix (checked in order). */
const REFUSED: [RegExp, string][] = [
  [/^-fplugin/, 'it makes gcc load a shared object (a compiler plugin)'],
  [/^-f(sanitize|instrument-functions|profile|coverage|test-coverage|stack-protector|stack-check|stack-clash|cf-protection|patchable-function-entry)/, 'it adds checks that need a run-time library or hooks the firmware does not have'],
  [/^-f(dump|record-gcc-switches|save-optimization-record|opt-info|auxinfo|callgraph-info|diagnostics-|debug-prefix-map|file-prefix-map|macro-prefix-map|profile-prefix-map)/, 'it writes files or rewrites paths outside the build'],
  [/^-f(no-)?lto|^-fuse-linker-plugin|^-fwhole-program/, 'it changes how the image links (the heap and marker wrappers, --gc-sections)'],
  [/^-f(call-saved|call-used|fixed)-/, 'it changes the register ABI the libraries\' assembly relies on'],
  [/^-f(no-)?(short-enums|short-wchar|signed-char|unsigned-char|pack-struct|signed-bitfields|unsigned-bitfields)/, 'it changes the ABI against newlib and the libraries'],
  [/^-f(no-)?(exceptions|asynchronous-unwind-tables=|rtti)/, 'it is not a C option the firmware uses'],
  [/^-m(cpu|arch|tune|fpu|float-abi|thumb-interwork=|cmse|fdpic|branch-protection|arm|abi|big-endian|little-endian|be8|be32|apcs|fix-cortex|general-regs-only)\b/, 'the board file sets the core, FPU and float ABI (firmware/boards/*.mk): choose the board instead'],
  [/^-W[lap],|^-Xlinker|^-Xassembler|^-Xpreprocessor/, 'it passes options to the linker, assembler or preprocessor'],
  [/^-O/, 'the optimisation level is build.opt (O1, O2, O3, Os)'],
  [/^-(I|iquote|isystem|idirafter|iprefix|iwithprefix|imacros|isysroot|-sysroot|L|l|B|T|o$|o\S)/, 'it reads or writes files outside the build (only -include FILE under the scenario\'s folder is allowed)'],
  [/^-(specs|wrapper|save-temps|dump|print|x$|x\S|std|ansi|M|E$|S$|c$|v$|###|pipe|time|shared|static|nostdlib|nostartfiles|nodefaultlibs)/, 'it changes what gcc runs or produces'],
  [/^-g/, 'debug information is always on (-g)'],
];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SAFE_VALUE = /^[A-Za-z0-9_.,+=-]*$/;
/** Characters a path may have to pass through make and a shell unharmed. */
const SAFE_PATH = /^[A-Za-z0-9_./+-]+$/;

/** Why a flag (not -include) is refused, or undefined when it is allowed. */
export function cflagRefusal(flag: string): string | undefined {
  if (flag.length > MAX_CFLAG_LENGTH) return `longer than ${MAX_CFLAG_LENGTH} characters`;
  if (!flag.startsWith('-')) return `'${flag}' is not a compiler flag (a scenario may pass -D, -U, -include FILE, warnings and vetted -f/-m options)`;
  const d = /^-D([^=]*)(?:=(.*))?$/.exec(flag);
  if (d) {
    if (!IDENT.test(d[1]!)) return `-D needs a C identifier (got '${d[1]}')`;
    if (d[2] !== undefined && !SAFE_VALUE.test(d[2])) return `-D${d[1]}: its value may have only letters, digits and _ . , + - = (it passes through make and a shell)`;
    return undefined;
  }
  if (flag.startsWith('-U')) return IDENT.test(flag.slice(2)) ? undefined : `-U needs a C identifier (got '${flag.slice(2)}')`;
  for (const [re, why] of REFUSED) if (re.test(flag)) return `${flag}: refused: ${why}`;
  const w = /^-W(no-)?([a-z][a-z0-9+-]*)(?:=([a-z0-9_+-]+))?$/.exec(flag);
  if (w) return undefined;
  const f = /^-f(no-)?([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?$/.exec(flag);
  if (f) {
    const [, , name, value] = f;
    if (value === undefined && F_VETTED.has(name!)) return undefined;
    if (value !== undefined && F_NUMERIC.has(name!) && !f[1]) return /^\d{1,5}$/.test(value) ? undefined : `${flag}: expected a number`;
    if (value === undefined && F_NUMERIC.has(name!)) return undefined; // -falign-functions alone
    return `${flag}: not in the vetted set of -f options (harness/scenario/cflags.ts lists them)`;
  }
  const m = /^-m([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(flag);
  if (m) {
    const [, name, value] = m;
    if (value === undefined && M_VETTED.has(name!)) return undefined;
    if (name === 'pic-register' && value !== undefined) return /^r(9|10)$/.test(value) ? undefined : `${flag}: expected r9 or r10`;
    return `${flag}: not in the vetted set of -m options (harness/scenario/cflags.ts lists them)`;
  }
  return `${flag}: refused: a scenario may pass -D, -U, -include FILE, warnings (-W...) and vetted -f/-m options`;
}

export interface CflagIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The scenario's build flags checked against the allow-list, with each
 * `-include FILE` (one entry "-include FILE" or two, "-include" then FILE)
 * resolved to an absolute path that must be a regular file under
 * `scenarioDir` (symbolic links followed). Returns the flags to build with.
 */
export function checkCflags(flags: string[], scenarioDir: string): { cflags: string[]; issues: CflagIssue[] } {
  const out: string[] = [];
  const issues: CflagIssue[] = [];
  const at = (i: number, message: string) => issues.push({ path: ['build', 'cflags', i], message });
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const inc = /^-include(?:\s+(.*)|=(.*))?$/.exec(flag);
    if (inc) {
      let file = (inc[1] ?? inc[2])?.trim();
      if (!file) {
        file = flags[i + 1];
        if (file === undefined) {
          at(i, '-include needs a file (under the scenario\'s folder)');
          continue;
        }
        i++;
      }
      const r = includeFile(file, scenarioDir);
      if ('error' in r) at(i, `-include ${file}: ${r.error}`);
      else out.push(`-include ${r.path}`);
      continue;
    }
    const why = cflagRefusal(flag);
    if (why) at(i, why);
    else out.push(flag);
  }
  return { cflags: out, issues };
}

function includeFile(file: string, scenarioDir: string): { path: string } | { error: string } {
  let dir: string, real: string;
  try {
    dir = realpathSync(scenarioDir);
  } catch {
    return { error: `the scenario's folder ${scenarioDir} cannot be read` };
  }
  try {
    real = realpathSync(resolve(scenarioDir, file));
  } catch {
    return { error: 'no such file' };
  }
  const rel = relative(dir, real);
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return { error: `must be under the scenario's folder (${dir}); it resolves to ${real}` };
  const st = statSync(real);
  if (!st.isFile()) return { error: 'not a regular file' };
  if (st.size > SCENARIO_MAX_BYTES) return { error: 'larger than 1 MiB' };
  if (!SAFE_PATH.test(real)) return { error: `its path ${real} has characters that cannot pass through make and a shell (use letters, digits and _ . / + -)` };
  return { path: real };
}
