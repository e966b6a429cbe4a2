// What core needs from Windows to tell svchost services apart (native/services on Windows, the simulator elsewhere).
import type { BlockedConnectionRecord } from '../../../native/services/security-log';

export type { BlockedConnectionRecord };

export interface ServiceSource {
  /** The "Filtering Platform Connection" audit setting now (success 1 | failure 2). Needs administrator rights. */
  auditSetting(): number;
  /** Adds failure auditing; says what was there before and whether anything changed. */
  enableAudit(): { before: number; changed: boolean };
  /** Puts `before` back (only while failure auditing is still on); true when it wrote something. */
  restoreAudit(before: number): boolean;
  /** The Security log's blocked-connection records, from now until stopped. */
  watchBlocked(onRecord: (record: BlockedConnectionRecord) => void): { stop(): Promise<void> };
  /** Process id -> the names of the services running in it, as the service control manager says now. */
  servicesByProcess(): Map<number, string[]>;
  /** Lower-case key name -> the name Windows shows for it ("Windows Update"), as of the last servicesByProcess. */
  displayNames?(): ReadonlyMap<string, string>;
  /** The service's SID type (whether its SID is in its token); undefined when no such service. */
  serviceSidType?(name: string): 'none' | 'unrestricted' | 'restricted' | undefined;
}
