// What a scenario adds to the catalogs before it is validated: board files
// of the user's (`boards:` entries that are paths to <id>.mk, relative to
// the scenario) and MCU profiles of the user's (`cycles.profiles`, or
// `cycles.profilesFile`). They are registered for this process, so the
// schema then checks the scenario against them like built-in ones.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { registerBoardFile } from '../catalog/boards.js';
import { registerProfiles } from '../cycles/profiles.js';

export interface CatalogIssue {
  path: (string | number)[];
  message: string;
}

/** A `boards:` entry that names a file rather than a built-in board. */
export const isBoardPath = (entry: unknown): entry is string => typeof entry === 'string' && (entry.endsWith('.mk') || entry.includes('/'));

/** Registers the scenario's own boards and profiles; rewrites board paths in `data` to their ids. The problems, with their paths. */
export function registerUserCatalog(data: Record<string, unknown>, file: string): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const at = (p: string) => resolve(dirname(file), p);
  if (Array.isArray(data.boards)) {
    data.boards = data.boards.map((entry, i) => {
      if (!isBoardPath(entry)) return entry;
      try {
        return registerBoardFile(at(entry)).id;
      } catch (e) {
        issues.push({ path: ['boards', i], message: (e as Error).message });
        return entry;
      }
    });
  }
  const cycles = data.cycles as { profiles?: unknown; profilesFile?: unknown } | undefined;
  if (cycles && typeof cycles === 'object') {
    if (cycles.profiles !== undefined)
      issues.push(...registerProfiles({ profiles: cycles.profiles }).map((i) => ({ path: ['cycles', ...i.path], message: i.message })));
    if (typeof cycles.profilesFile === 'string') {
      const path = at(cycles.profilesFile);
      let raw: unknown;
      try {
        if (!statSync(path).isFile()) throw new Error('not a regular file');
        raw = parse(readFileSync(path, 'utf8'));
      } catch (e) {
        issues.push({ path: ['cycles', 'profilesFile'], message: `${cycles.profilesFile}: cannot read MCU profiles: ${(e as Error).message.replace(/^[A-Z]+: /, '').split('\n')[0]}` });
        return issues;
      }
      const r = (raw ?? {}) as { profiles?: unknown; defaults?: unknown };
      issues.push(...registerProfiles(r).map((i) => ({ path: ['cycles', 'profilesFile'], message: `${cycles.profilesFile}: ${i.path.join('.')}: ${i.message}` })));
    }
  }
  return issues;
}
