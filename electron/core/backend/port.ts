// What core needs from the WFP layer, and nothing more. The native adapter serves it over native/ (fwpuclnt.dll on
// Windows, the simulator elsewhere); unit tests serve it from memory.
import type { AppFilterSpec, FilterInfo, NetEvent, OurFilter } from '../../../native/api';
import type { CollectionLedger } from '../../../native/options';
import type { SignatureCheck } from '../enrichment/publisher-label';
import type { EventDelivery } from '../model';
import type { ServiceSource } from '../services/port';

/** One completed DNS query, as the DNS client reported it (native/etw/dns-client.ts). */
export interface DnsQuery {
  readonly time: number;
  readonly processId: number;
  readonly imagePath?: string;
  readonly name: string;
  readonly status: number;
  readonly results: string;
}

/** A filter core asks for; `tag` is stored in the filter so that reconciliation can tell which rule it serves. */
export interface TaggedFilterSpec extends AppFilterSpec {
  readonly tag: string;
}

export interface TaggedFilter extends OurFilter {
  readonly tag?: string;
}

export interface EventSink {
  onEvent(event: NetEvent): void;
  onMalformed(reason: string): void;
  onLost(count: number): void;
  onResubscribed(reason: string): void;
  /** The subscription could not be kept alive (the engine session is gone, BFE stopped). */
  onError(message: string): void;
  /** The Base Filtering Engine went away (stopped or restarted); the backend is opening a new session. */
  onEngineLost?(message: string): void;
  /** A new session and subscription are up after an engine restart: WFP must be reconciled to the rules again. */
  onEngineRestarted?(): void;
}

export interface EventSubscription {
  stop(): Promise<void>;
  /** How this subscription's events arrive. */
  delivery?(): EventDelivery | undefined;
  /**
   * Hands the events received and not yet delivered to the sink now (core asks before it builds a delta batch, so
   * that a steady flow is handled in one burst per batch); absent where every event is delivered as it comes.
   */
  takeWaiting?(): void;
}

export interface CoreBackend {
  readonly kind: 'wfp' | 'simulator';
  /** Opens the engine. Throws an error naming the failing call, its code and what to do. */
  open(): Promise<void>;
  /** Turns collection of allow events on or off (Learning needs them); restores what it changed on close. */
  setAllowEvents(on: boolean): Promise<void>;
  /**
   * Where to write down what setAllowEvents changes in BFE, so that what a killed process left is put right by the
   * next one (native/options.ts). Given by core before open().
   */
  useCollectionLedger?(ledger: CollectionLedger): void;
  /** Creates our provider and sublayer when missing (after a reset they are gone). */
  ensureProviderAndSublayer(): Promise<void>;
  subscribe(sink: EventSink): Promise<EventSubscription>;
  /** How events would arrive, without subscribing (for a status asked from the command line). */
  eventDelivery?(): EventDelivery;
  /**
   * Why WFP cannot take this filter now (a malformed SID or address, a drive that is not present, a network drive),
   * or undefined. Checked before each transaction so that one such filter never aborts the others.
   */
  checkFilter?(spec: TaggedFilterSpec): string | undefined;
  /** One transaction: removes `remove`, adds `add`; returns the filter ids created for each spec, in order. */
  apply(change: { add: readonly TaggedFilterSpec[]; remove: readonly number[] }): Promise<{ added: number[][] }>;
  listOurs(): Promise<TaggedFilter[]>;
  /** Removes every filter of ours, then our sublayer and provider. */
  removeAllOurs(): Promise<void>;
  /** Cached by the caller; called once per filter id on the event path. */
  filterInfo(filterId: number): FilterInfo | undefined;
  /** DOS path to NT device path, when the volume is mapped (used only for display). */
  dosToNt(path: string): string | undefined;
  /**
   * The application id a filter for `path` gets now (the lower-case NT path of its volume), or undefined when it
   * cannot be told (the drive is not present): compared at start with the app id a filter of ours carries.
   */
  appIdFor?(path: string): string | undefined;
  /** The Authenticode signature of an executable (WinVerifyTrust); absent where no signature check exists. */
  verifySignature?(path: string): Promise<SignatureCheck>;
  /** A DOS path as written on disk (WFP reports lower case); absent where there is no file system to ask. */
  realCasePath?(path: string): Promise<string | undefined>;
  /**
   * What changes when a file's content may have changed (size, modification time, file id); undefined when it
   * cannot be read. Absent: core asks the file system itself.
   */
  fileIdentity?(path: string): Promise<string | undefined>;
  /**
   * Tells, with the reason, when the lookups above leave their own thread for the main one: they go on, at more CPU
   * under a flood of new programs.
   */
  onFileLookupsFallback?(listener: (reason: string) => void): void;
  /** Reports each DNS query a program completes, until stopped; absent where there is no such source. */
  watchDnsQueries?(onQuery: (query: DnsQuery) => void): Promise<{ stop(): Promise<void> }>;
  /** Which service in svchost made a blocked connection (the Security log's audit records); absent where none. */
  readonly services?: ServiceSource;
  close(): Promise<void>;
  /**
   * After close: native calls still running that would hold the process at its end, each named (a signature check of
   * a file on a network share whose server went away); empty when none. Absent where calls cannot hang.
   */
  callsHoldingExit?(): readonly string[];
  /** The Windows folder of this PC, as Windows reports it (FOLDERID_Windows); absent where there is none. */
  windowsFolder?(): string;
  /** Puts back the engine options we changed, synchronously: the process is about to be killed (logoff, shutdown). */
  endSession?(): void;
}
