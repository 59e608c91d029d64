// certcost command line: one table of commands, each with its usage.
// Exit codes: 0 done (for `run`: everything measured, including does-not-fit,
// finding and unsupported answers), 1 a mismatch or error record, a CI gate
// regression or fuzzing findings, 2 bad input (nothing ran, one line says
// why), 3 certcost itself crashed (one line; the stack with --debug).
import { UserError } from './core/errors.js';
import { TOOL_VERSION } from './core/paths.js';
import { didYouMean } from './core/suggest.js';
import { sweepOnce } from './core/lifecycle.js';
import { resultsJsonSchema } from './record/schema.js';
import { cmdRun, RUN_USAGE } from './commands/run.js';
import { cmdReport, REPORT_USAGE } from './commands/report.js';
import { cmdCheck, CHECK_USAGE } from './commands/check.js';
import { cmdMerge, MERGE_USAGE } from './commands/merge.js';
import { calibrateCommand } from './commands/calibrate.js';
import { cmdFuzz, FUZZ_USAGE } from './commands/fuzz.js';
import { cmdSoak, SOAK_USAGE } from './commands/soak.js';
import { cmdPerf, PERF_USAGE } from './commands/perf.js';

interface Command {
  usage: string;
  run(argv: string[]): number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  run: { usage: RUN_USAGE, run: cmdRun },
  report: { usage: REPORT_USAGE, run: cmdReport },
  check: { usage: CHECK_USAGE, run: cmdCheck },
  merge: { usage: MERGE_USAGE, run: cmdMerge },
  calibrate: { usage: '  certcost calibrate [--out DIR] [--vectors N] [--json]\n                                             cycle model vs published silicon figures', run: calibrateCommand },
  fuzz: { usage: FUZZ_USAGE, run: cmdFuzz },
  soak: { usage: SOAK_USAGE, run: cmdSoak },
  perf: { usage: PERF_USAGE, run: cmdPerf },
  schema: {
    usage: '  certcost schema                            print the results.json JSON Schema',
    run: (argv) => {
      if (argv.length) throw new UserError(`schema: takes no arguments (got ${argv.join(' ')})`);
      process.stdout.write(JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
      return 0;
    },
  },
  help: { usage: '  certcost help [command]                    this text, or one command\'s usage', run: (argv) => help(argv[0]) },
};

const USAGE = `certcost ${TOOL_VERSION}: what certificate-based security costs on a Cortex-M device
usage:
${Object.values(COMMANDS).map((c) => c.usage).join('\n')}
  certcost --version
Exit codes: 0 done, 1 mismatch/error records, a gate regression or fuzz findings, 2 bad input, 3 internal error (--debug shows the stack).
`;

function help(cmd?: string): number {
  if (cmd === undefined) {
    process.stdout.write(USAGE);
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) throw new UserError(`help: unknown command '${cmd}'${didYouMean(cmd, Object.keys(COMMANDS))}`);
  process.stdout.write(`usage:\n${c.usage}\n`);
  return 0;
}

/** The --options a command's usage names, for "did you mean" on a mistyped one. */
const optionsOf = (usage: string) => [...new Set([...usage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [cmd, ...rest] = args;
  // Temporary directories of certcost runs that were killed outright (core/lifecycle.ts).
  sweepOnce();
  try {
    if (cmd === '--version' || cmd === '-V') {
      process.stdout.write(`certcost ${TOOL_VERSION}\n`);
      return 0;
    }
    if (cmd === undefined || cmd === '-h' || cmd === '--help') {
      process.stdout.write(USAGE);
      return cmd ? 0 : 2;
    }
    const c = COMMANDS[cmd];
    if (!c) throw new UserError(`unknown command '${cmd}'${didYouMean(cmd, Object.keys(COMMANDS))}; 'certcost help' lists them`);
    if (rest.includes('--help') || rest.includes('-h')) return help(cmd);
    try {
      return await c.run(rest);
    } catch (e) {
      // node:util parseArgs: name the command and the nearest known option.
      const code = (e as { code?: string }).code;
      if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
        const opt = /'(-[^']+)'/.exec((e as Error).message)?.[1] ?? '?';
        throw new UserError(`${cmd}: unknown option '${opt}'${didYouMean(opt, optionsOf(c.usage))}\nusage:\n${c.usage}`);
      }
      if (code?.startsWith('ERR_PARSE_ARGS')) throw new UserError(`${cmd}: ${(e as Error).message.split('\n')[0]}\nusage:\n${c.usage}`);
      throw e;
    }
  } catch (e) {
    if (e instanceof UserError) {
      console.error(`certcost: ${e.message}`);
      return 2;
    }
    const err = e as Error;
    console.error(`certcost: internal error: ${err?.message?.split('\n')[0] ?? String(e)}${debug ? '' : ' (run again with --debug for the stack)'}`);
    if (debug) console.error(err?.stack ?? e);
    return 3;
  }
}
