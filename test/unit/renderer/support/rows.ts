// Rows and snapshots as core sends them, for the window's store tests: every field a row must have, set as for a
// quiet app, so that a test names only what it is about.
import type { AppEntry, Snapshot } from '../../../../electron/core/model';
import { settings, status } from '../../main/fake-core';

/** The row of the program at `path`, shown as `name`, with `parts` over the defaults. */
export function appRow(path: string, name: string, parts: Partial<AppEntry> = {}): AppEntry {
  return {
    identity: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: name, path },
    blockedCount: 1,
    allowedCount: 0,
    firstSeen: 1_000,
    lastSeen: 2_000,
    endpoints: [],
    ports: [],
    protocols: [],
    directions: ['out'],
    blockedBy: 'windows-firewall',
    state: 'new',
    timeline: [],
    ...parts,
  };
}

/** A snapshot holding `apps` and nothing else, with `parts` over it. */
export function snapshotOf(apps: AppEntry[], parts: Partial<Snapshot> = {}): Snapshot {
  return { status, settings, apps, rules: [], decisions: [], candidates: [], activity: [], ...parts };
}
