// certcost command line. Exit codes: 0 done, 1 a measurement failed or a
// gate tripped, 2 bad input (nothing ran).
import { UserError } from './core/errors.js';
import { resultsJsonSchema } from './record/schema.js';
import { cmdRun, RUN_USAGE } from './commands/run.js';
import { cmdReport, REPORT_USAGE } from './commands/report.js';
import { cmdCheck, CHECK_USAGE } from './commands/check.js';
import { cmdMerge, MERGE_USAGE } from './commands/merge.js';
import { calibrateCommand } from './commands/calibrate.js';
import { cmdFuzz, FUZZ_USAGE } from './commands/fuzz.js';

const USAGE = `usage:
${RUN_USAGE}
  certcost schema                            print the results.json JSON Schema
${REPORT_USAGE}
${CHECK_USAGE}
${MERGE_USAGE}
  certcost calibrate [--out DIR]             cycle model vs published silicon figures
${FUZZ_USAGE}
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest);
      case 'fuzz':
        return await cmdFuzz(rest);
      case 'calibrate':
        return await calibrateCommand(rest);
      case 'report':
        return await cmdReport(rest);
      case 'check':
        return cmdCheck(rest);
      case 'merge':
        return cmdMerge(rest);
      case 'schema':
        process.stdout.write(JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
        return 0;
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        return cmd ? 0 : 2;
      default:
        throw new UserError(`unknown command '${cmd}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UserError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`certcost: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}
