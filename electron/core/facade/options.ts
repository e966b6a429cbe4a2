// What createPortcullisCore needs. Everything that touches the outside world (time, timers, ids, files, WFP, DNS)
// comes in here, so tests decide it.
import type { CoreBackend } from '../backend/port';
import type { ReverseResolver } from '../enrichment/reverse-dns';
import type { FolderWatchOptions } from '../persistence/folder-watch';
import type { JsonFileHooks } from '../persistence/json-file';
import type { Clock, IdSource, Timers } from '../util/runtime';

export interface CoreLimits {
  /** Apps kept in the index; past this the quietest are forgotten. */
  readonly maxApps: number;
  /** Distinct remote endpoints kept per app. */
  readonly maxEndpointsPerApp: number;
  /** Decisions open at once (a person answers a few dozen; past this the oldest makes room for the newest). */
  readonly maxPendingDecisions: number;
  /** Learning candidates kept. */
  readonly maxCandidates: number;
  /** Reverse DNS answers cached. */
  readonly dnsCacheSize: number;
  readonly dnsTimeoutMs: number;
}

export const DEFAULT_LIMITS: CoreLimits = {
  maxApps: 50_000,
  maxEndpointsPerApp: 32,
  maxPendingDecisions: 200,
  maxCandidates: 10_000,
  dnsCacheSize: 4_096,
  dnsTimeoutMs: 2_000,
};

export interface PortcullisCoreOptions {
  readonly backend: CoreBackend;
  /** Folder of rules.json and settings.json; default: PORTCULLIS_DATA_DIR or the per-user data folder. */
  readonly dataDir?: string;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly ids?: IdSource;
  /** Reverse DNS; default: node:dns Resolver with the timeout from limits. */
  readonly resolver?: ReverseResolver;
  readonly limits?: Partial<CoreLimits>;
  /** For crash tests: hooks into the atomic writes of rules.json and settings.json. */
  readonly persistenceHooks?: { readonly rules?: JsonFileHooks; readonly settings?: JsonFileHooks };
  /** How the data folder is watched for changes made by another process (the CLI next to the app). */
  readonly dataFolderWatch?: FolderWatchOptions;
}

export interface StartOptions {
  /** Subscribe to WFP events (the app and `watch`); one-shot CLI commands do not. Default true. */
  readonly subscribe?: boolean;
  /**
   * Make WFP match the rules now. Default true; `portcullis reset` passes false so that it works even when the
   * rules cannot be applied.
   */
  readonly reconcile?: boolean;
  /**
   * Watch the data folder and take in what another process writes there. Default true; one-shot CLI commands pass
   * false (they still merge before each save, so they never overwrite a change either).
   */
  readonly watchDataFolder?: boolean;
}
