// The ServiceSource over native/services: advapi32 and wevtapi on Windows, the simulator elsewhere. Loaded on first
// use, never on the event path.
import {
  enableBlockedConnectionAudit,
  queryConnectionAudit,
  restoreConnectionAudit,
} from '../../../native/services/audit-policy';
import { loadServices, type ServicesLibrary } from '../../../native/services/functions';
import { watchBlockedConnections } from '../../../native/services/security-log';
import { runningServices, serviceSidType, servicesByProcess } from '../../../native/services/service-list';
import type { ServiceSource } from './port';

export function nativeServiceSource(libraryPath?: string): ServiceSource {
  let lib: ServicesLibrary | undefined;
  let displayNames: ReadonlyMap<string, string> = new Map();
  const load = (): ServicesLibrary => (lib ??= loadServices(libraryPath ? { libraryPath } : {}));
  return {
    auditSetting: () => queryConnectionAudit(load()),
    enableAudit: () => enableBlockedConnectionAudit(load()),
    restoreAudit: (before) => restoreConnectionAudit(before, load()),
    watchBlocked: (onRecord) => watchBlockedConnections(onRecord, load()),
    servicesByProcess: () => {
      const list = runningServices(load());
      displayNames = new Map(list.map((s) => [s.name.toLowerCase(), s.displayName]));
      return servicesByProcess(list);
    },
    displayNames: () => displayNames,
    serviceSidType: (name) => serviceSidType(name, load()),
  };
}
