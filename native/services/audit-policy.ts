// The system audit policy of the "Filtering Platform Connection" subcategory: with failure auditing on, Windows
// writes event 5157 to the Security log for every connection WFP blocks, naming the process id. The setting is
// machine-wide and persistent, so Portcullis reads it first, adds only the failure bit, and puts back exactly what
// it found when it turns the feature off. Sources: learn.microsoft.com "AuditQuerySystemPolicy",
// "AuditSetSystemPolicy" (ERROR_ACCESS_DENIED without SeSecurityPrivilege or AUDIT_SET_SYSTEM_POLICY access),
// "AuditFree", "AUDIT_POLICY_INFORMATION", "Audit Filtering Platform Connection".
import koffi from 'koffi';
import { loadServices, ServicesError, type ServicesLibrary } from './functions.js';
import { enableSecurityPrivilege } from './privilege.js';
import {
  AUDIT_FILTERING_PLATFORM_CONNECTION,
  AUDIT_POLICY_INFORMATION,
  POLICY_AUDIT_EVENT_FAILURE,
  POLICY_AUDIT_EVENT_NONE,
  servicesErrorSymbol,
} from './types.js';

/** POLICY_AUDIT_EVENT_SUCCESS | POLICY_AUDIT_EVENT_FAILURE bits; 0 is "No Auditing". */
export type AuditSetting = number;

function fail(lib: ServicesLibrary, func: string): ServicesError {
  const code = lib.fn.GetLastError() as number;
  const what =
    code === 5 || code === 1314
      ? 'Changing Windows security auditing needs administrator rights: run Portcullis as administrator.'
      : 'Windows services stay unnamed.';
  return new ServicesError(func, code, servicesErrorSymbol(code), what);
}

export function queryConnectionAudit(lib: ServicesLibrary = loadServices()): AuditSetting {
  enableSecurityPrivilege(lib);
  const out: unknown[] = [null];
  if (!lib.fn.AuditQuerySystemPolicy(AUDIT_FILTERING_PLATFORM_CONNECTION, 1, out))
    throw fail(lib, 'AuditQuerySystemPolicy');
  try {
    const info = koffi.decode(out[0], 'AUDIT_POLICY_INFORMATION') as { AuditingInformation: number };
    return info.AuditingInformation & 0x3;
  } finally {
    lib.fn.AuditFree(out[0]);
  }
}

function setConnectionAudit(lib: ServicesLibrary, setting: AuditSetting): void {
  enableSecurityPrivilege(lib);
  const info = Buffer.alloc(koffi.sizeof(AUDIT_POLICY_INFORMATION));
  koffi.encode(info, 'AUDIT_POLICY_INFORMATION', {
    AuditSubCategoryGuid: AUDIT_FILTERING_PLATFORM_CONNECTION,
    // POLICY_AUDIT_EVENT_NONE is how "No Auditing" is written (0 would mean "leave unchanged").
    AuditingInformation: setting === 0 ? POLICY_AUDIT_EVENT_NONE : setting,
    AuditCategoryGuid: { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] },
  });
  if (!lib.fn.AuditSetSystemPolicy(info, 1)) throw fail(lib, 'AuditSetSystemPolicy');
}

export interface AuditChange {
  /** The setting found before Portcullis changed anything. */
  readonly before: AuditSetting;
  /** Whether Portcullis changed it (false: failure auditing was already on, and stays the user's). */
  readonly changed: boolean;
}

/** Turns on failure auditing of blocked connections, keeping whatever else was set. */
export function enableBlockedConnectionAudit(lib: ServicesLibrary = loadServices()): AuditChange {
  const before = queryConnectionAudit(lib);
  if (before & POLICY_AUDIT_EVENT_FAILURE) return { before, changed: false };
  setConnectionAudit(lib, before | POLICY_AUDIT_EVENT_FAILURE);
  return { before, changed: true };
}

/**
 * Puts back the setting found before `enableBlockedConnectionAudit` changed it. Someone who changed it since
 * (failure auditing already off again) is left alone.
 */
export function restoreConnectionAudit(before: AuditSetting, lib: ServicesLibrary = loadServices()): boolean {
  const now = queryConnectionAudit(lib);
  if (!(now & POLICY_AUDIT_EVENT_FAILURE) || now === before) return false;
  setConnectionAudit(lib, before & 0x3);
  return true;
}
