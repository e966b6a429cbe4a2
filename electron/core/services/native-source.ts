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
  const load = (): ServicesLibrary => (lib ??= loadServices(libraryPath ? { libraryPath } : {}));
  return {
    auditSetting: () => queryConnectionAudit(load()),
    enableAudit: () => enableBlockedConnectionAudit(load()),
    restoreAudit: (before) => restoreConnectionAudit(before, load()),
    watchBlocked: (onRecord) => watchBlockedConnections(onRecord, load()),
    servicesByProcess: () => servicesByProcess(runningServices(load())),
    serviceSidType: (name) => serviceSidType(name, load()),
  };
}
