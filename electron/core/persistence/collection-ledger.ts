// The ledger of engine-option changes (native/options.ts): one small JSON record per Portcullis process that turned
// on something in BFE's event collection, named by its process id, in `engine-options` inside the data folder. The
// data folder is writable by administrators only (secure-folder.ts), so no unelevated program can plant a record
// that would make Portcullis clear someone else's options, or remove one to make it leave its own.
//
// A record whose process no longer runs is a leftover (that process was killed before it could restore). A process
// id that Windows gave to another program since makes a leftover look alive: its bits then stay set, as they did
// before there was a ledger, and are put right at a later start; the opposite mistake (a running Portcullis taken
// for dead) cannot happen.
import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectionClaim, CollectionLedger } from '../../../native/options';
import { writeAtomic } from './atomic-write';
import { processAlive } from './file-lock';

const RECORD = /^(\d+)\.json$/;

function parseClaim(text: string): CollectionClaim | undefined {
  try {
    const v = JSON.parse(text) as Partial<CollectionClaim>;
    const added = v.added;
    const needs = v.needs;
    if (
      typeof added?.collectionEnabled !== 'boolean' ||
      typeof added.keywordsAdded !== 'number' ||
      typeof needs?.collection !== 'boolean' ||
      typeof needs.keywords !== 'number'
    ) {
      return undefined;
    }
    return {
      added: { collectionEnabled: added.collectionEnabled, keywordsAdded: added.keywordsAdded >>> 0 },
      needs: { collection: needs.collection, keywords: needs.keywords >>> 0 },
    };
  } catch {
    return undefined;
  }
}

export function fileCollectionLedger(dataDir: string, pid = process.pid): CollectionLedger {
  const folder = join(dataDir, 'engine-options');
  const pathOf = (owner: string) => join(folder, `${owner}.json`);

  const records = (): { owner: string; pid: number; claim: CollectionClaim }[] => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return [];
    }
    const out: { owner: string; pid: number; claim: CollectionClaim }[] = [];
    for (const name of names) {
      const match = RECORD.exec(name);
      if (!match) continue;
      let text: string;
      try {
        text = readFileSync(join(folder, name), 'utf8');
      } catch {
        continue; // removed meanwhile by its process
      }
      // A torn record (a crash in the middle of a write is ruled out by the atomic write; a hand edit is not) tells
      // nothing about which bits were whose: it is left alone, and so are the options.
      const claim = parseClaim(text);
      if (claim) out.push({ owner: match[1]!, pid: Number(match[1]), claim });
    }
    return out;
  };

  const put = (owner: string, claim: CollectionClaim | undefined): void => {
    if (claim === undefined) {
      try {
        unlinkSync(pathOf(owner));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      return;
    }
    mkdirSync(folder, { recursive: true });
    writeAtomic(pathOf(owner), `${JSON.stringify(claim)}\n`);
  };

  return {
    mine: () => records().find((r) => r.pid === pid)?.claim,
    leftovers: () => records().filter((r) => r.pid !== pid && !processAlive(r.pid)),
    neededByOthers() {
      let collection = false;
      let keywords = 0;
      for (const r of records()) {
        if (r.pid === pid || !processAlive(r.pid)) continue;
        collection ||= r.claim.needs.collection;
        keywords |= r.claim.needs.keywords;
      }
      return { collection, keywords: keywords >>> 0 };
    },
    write: (claim) => put(String(pid), claim),
    settle: (owner, rest) => put(owner, rest),
  };
}
