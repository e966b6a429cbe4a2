// Turning on what Portcullis needs to hear about, and nothing else. Engine options are machine-wide and persist
// across reboots, so we remember exactly what we changed and restore only that.
import type { WfpEngine } from './engine.js';
import { FWPM_ENGINE_OPTION, FWPM_NET_EVENT_KEYWORD } from './wfp/constants.js';

export interface EventCollectionChange {
  /** COLLECT_NET_EVENTS was off and we turned it on. */
  readonly collectionEnabled: boolean;
  /** Keyword bits we added to NET_EVENT_MATCH_ANY_KEYWORDS (bits already set are not ours). */
  readonly keywordsAdded: number;
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

export async function enableEventCollection(
  engine: WfpEngine,
  options: { allowEvents: boolean },
): Promise<EventCollection> {
  requireNonDynamic(engine);
  const wanted = keywordsFor(options);
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

  const changed: EventCollectionChange = { collectionEnabled: !collecting, keywordsAdded };
  let restored = false;
  return {
    changed,
    async restore(other?: WfpEngine) {
      if (restored) return;
      const target = other ?? engine;
      requireNonDynamic(target);
      if (changed.keywordsAdded !== 0) {
        // Read again: someone else may have changed other bits since; clear only ours.
        const now = target.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS);
        target.setOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS, (now & ~changed.keywordsAdded) >>> 0);
      }
      if (changed.collectionEnabled) target.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 0);
      restored = true;
    },
  };
}
