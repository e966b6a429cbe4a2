// Turning on what Portcullis needs to hear about, and nothing else. Engine options are machine-wide and persist
// across reboots (FwpmEngineSetOption0 writes them to BFE's store; wfp-facts: "global to the machine and persist
// across reboots"), so we remember exactly what we changed and restore only that.
//
// What a process changed is also written down (a CollectionLedger: a record per process in the data folder), because
// a process that is killed (a crash, Task Manager, a power cut) never restores: in Learning it would leave every
// allowed connection on the PC collected by BFE, and the next start would take those bits for someone else's. So
// each enable first puts right what processes that no longer run left behind, sparing what a running Portcullis
// process (the app beside a `portcullis` command) still needs, and each restore leaves a running process's needs in
// place too.
import type { WfpEngine } from './engine.js';
import { FWPM_ENGINE_OPTION, FWPM_NET_EVENT_KEYWORD } from './wfp/constants.js';

export interface EventCollectionChange {
  /** COLLECT_NET_EVENTS was off and we turned it on (or took over a dead process's turning it on). */
  readonly collectionEnabled: boolean;
  /** Keyword bits we added to NET_EVENT_MATCH_ANY_KEYWORDS (bits already set are not ours). */
  readonly keywordsAdded: number;
}

/** One process's line in the ledger: what it changed, and what it needs while it runs. */
export interface CollectionClaim {
  readonly added: EventCollectionChange;
  /** Needed now: collection on, and these keywords. Nothing once the process restored. */
  readonly needs: { readonly collection: boolean; readonly keywords: number };
}

/** Where each Portcullis process writes down what it changed (electron/core/persistence/collection-ledger.ts). */
export interface CollectionLedger {
  /** This process's own record, if any (a restore that had to leave bits a running process needs keeps one). */
  mine(): CollectionClaim | undefined;
  /** Records of processes that no longer run. */
  leftovers(): readonly { readonly owner: string; readonly claim: CollectionClaim }[];
  /** What the other processes that run now need. */
  neededByOthers(): { readonly collection: boolean; readonly keywords: number };
  /** Writes this process's record (replacing it), or removes it when `claim` is undefined. */
  write(claim: CollectionClaim | undefined): void;
  /** Rewrites a dead process's record with what is still left, or removes it when nothing is. */
  settle(owner: string, rest: CollectionClaim | undefined): void;
}

export interface EventCollection {
  readonly changed: EventCollectionChange;
  /** Undoes our changes only; safe to call twice. Needs an open non-dynamic session (the same or another). */
  restore(engine?: WfpEngine): Promise<void>;
}

export function keywordsFor(options: { allowEvents: boolean }): number {
  let k = FWPM_NET_EVENT_KEYWORD.CAPABILITY_DROP;
  if (options.allowEvents) k |= FWPM_NET_EVENT_KEYWORD.CLASSIFY_ALLOW | FWPM_NET_EVENT_KEYWORD.CAPABILITY_ALLOW;
  return k;
}

function requireNonDynamic(engine: WfpEngine): void {
  if (engine.dynamic) {
    throw new Error(
      'Engine options cannot be changed from a dynamic session (FWP_E_DYNAMIC_SESSION_IN_PROGRESS): open a non-dynamic one.',
    );
  }
}

/**
 * Puts right what dead processes left: their keywords that neither a running process nor this one (`wanted`) needs
 * are cleared; those only this one needs become ours (cleared at our restore); those another running process needs
 * stay on the dead record for a later start. Their COLLECT_NET_EVENTS is always adopted: this process
 * is turning collection on.
 */
function putRightLeftovers(engine: WfpEngine, ledger: CollectionLedger, wanted: number): EventCollectionChange {
  const others = ledger.neededByOthers();
  let adoptedKeywords = 0;
  let adoptedCollection = false;
  for (const { owner, claim } of ledger.leftovers()) {
    const current = engine.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS);
    const left = claim.added.keywordsAdded & current;
    const clear = left & ~others.keywords & ~wanted;
    if (clear !== 0) engine.setOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS, (current & ~clear) >>> 0);
    adoptedKeywords |= left & wanted & ~others.keywords;
    adoptedCollection ||= claim.added.collectionEnabled;
    const kept = left & others.keywords;
    ledger.settle(
      owner,
      kept === 0
        ? undefined
        : { added: { collectionEnabled: false, keywordsAdded: kept }, needs: { collection: false, keywords: 0 } },
    );
  }
  return { collectionEnabled: adoptedCollection, keywordsAdded: adoptedKeywords };
}

export async function enableEventCollection(
  engine: WfpEngine,
  options: { allowEvents: boolean; ledger?: CollectionLedger },
): Promise<EventCollection> {
  requireNonDynamic(engine);
  const { ledger } = options;
  const wanted = keywordsFor(options);
  const adopted = ledger ? putRightLeftovers(engine, ledger, wanted) : { collectionEnabled: false, keywordsAdded: 0 };
  // What an earlier restore of this process had to leave for a running process is still ours to clear.
  const earlier = ledger?.mine()?.added;
  const collecting = engine.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS) !== 0;
  const keywords = engine.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS);
  const keywordsAdded = wanted & ~keywords;

  if (!collecting) engine.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 1);
  if (keywordsAdded !== 0) {
    try {
      engine.setOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS, (keywords | keywordsAdded) >>> 0);
    } catch (e) {
      if (!collecting) engine.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 0);
      throw e;
    }
  }

  const changed: EventCollectionChange = {
    collectionEnabled: !collecting || adopted.collectionEnabled || earlier?.collectionEnabled === true,
    keywordsAdded: (keywordsAdded | adopted.keywordsAdded | ((earlier?.keywordsAdded ?? 0) & keywords)) >>> 0,
  };
  // Written before anything else can kill us with the change unrecorded for long: the options are set just above.
  ledger?.write({ added: changed, needs: { collection: true, keywords: wanted } });
  let restored = false;
  return {
    changed,
    async restore(other?: WfpEngine) {
      if (restored) return;
      const target = other ?? engine;
      requireNonDynamic(target);
      // A running Portcullis process (the app beside a command) keeps what it needs; our record keeps it for later.
      const others = ledger?.neededByOthers() ?? { collection: false, keywords: 0 };
      const clear = changed.keywordsAdded & ~others.keywords;
      if (clear !== 0) {
        // Read again: someone else may have changed other bits since; clear only ours.
        const now = target.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS);
        target.setOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS, (now & ~clear) >>> 0);
      }
      const keepCollection = changed.collectionEnabled && others.collection;
      if (changed.collectionEnabled && !keepCollection) target.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 0);
      const kept = changed.keywordsAdded & others.keywords;
      ledger?.write(
        kept === 0 && !keepCollection
          ? undefined
          : {
              added: { collectionEnabled: keepCollection, keywordsAdded: kept },
              needs: { collection: false, keywords: 0 },
            },
      );
      restored = true;
    },
  };
}
