// Checks that need more than one field: combinations that cannot run at
// all. A library that can run on some of the scenario's boards gets
// `unsupported` records for the others (a result, with its reason); one
// that can run on none of them is a mistake in the scenario.
import { boards } from '../catalog/boards.js';
import { library, libraryIds, resolveLibrary } from '../catalog/libraries.js';
import type { Scenario } from './schema.js';

export interface CrossIssue {
  path: (string | number)[];
  message: string;
}

export function crossChecks(s: Scenario): CrossIssue[] {
  const out: CrossIssue[] = [];
  const seen = new Map<string, number>();
  s.libraries.forEach((entry, i) => {
    const ref = resolveLibrary(entry);
    if ('error' in ref) return; // the schema has said so
    // `mbedtls` and `mbedtls@<its newest version>` are one image.
    const label = ref.version ? `${ref.id}@${ref.version}` : ref.id;
    if (seen.has(label)) out.push({ path: ['libraries', i], message: `'${entry}' is the same library and version as entry ${seen.get(label)! + 1} ('${s.libraries[seen.get(label)!]}')` });
    seen.set(label, i);
    const id = ref.id;
    const lib = library(id);
    if (!lib.available || !lib.cores) return;
    const cores = s.boards.map((b) => boards().get(b)!.core);
    if (!cores.some((c) => lib.cores!.includes(c)))
      out.push({ path: ['libraries', i], message: `${id} cannot run on any board listed (${[...new Set(cores)].join(', ')}); it needs ${lib.cores.join(' / ')}${lib.coresWhy ? ` (${lib.coresWhy})` : ''}` });
  });
  // build.config: only for a library the scenario runs, whose adapter takes one.
  const ids = new Set(s.libraries.map((e) => resolveLibrary(e)).flatMap((r) => ('error' in r ? [] : [r.id])));
  for (const id of Object.keys(s.build.config)) {
    const configurable = libraryIds().filter((l) => library(l).configurable);
    if (!library(id).configurable)
      out.push({ path: ['build', 'config', id], message: `${library(id).available ? `${id} takes no configuration file` : `unknown library '${id}'`} (libraries that do: ${configurable.join(', ')})` });
    else if (!ids.has(id)) out.push({ path: ['build', 'config', id], message: `the scenario runs no ${id} (libraries: ${s.libraries.join(', ')})` });
  }
  return out;
}
