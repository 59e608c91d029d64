#!/usr/bin/env node
// Entry point for `npx certcost`: runs the TypeScript CLI through tsx, so
// there is no separate build step to forget.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../harness/cli.ts');
process.exitCode = await main(process.argv.slice(2));
