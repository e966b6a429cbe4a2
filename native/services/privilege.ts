// SeSecurityPrivilege, enabled in Portcullis's own token before the audit-policy calls. Administrators hold it but
// it is disabled by default, and AuditQuerySystemPolicy / AuditSetSystemPolicy accept a caller that has it (or the
// audit object's own access right); enabling it first is what auditpol does. AdjustTokenPrivileges succeeds even
// when the privilege is not held and says so only through GetLastError (ERROR_NOT_ALL_ASSIGNED).
// Sources: learn.microsoft.com "AuditSetSystemPolicy" (remarks), "Enabling and Disabling Privileges in C++",
// "AdjustTokenPrivileges" (return value), "Privilege Constants" (SE_SECURITY_NAME).
import { ServicesError, type ServicesLibrary } from './functions.js';
import { SERVICES_ERRORS, servicesErrorSymbol } from './types.js';

const TOKEN_ADJUST_PRIVILEGES = 0x20;
const TOKEN_QUERY = 0x8;
const SE_PRIVILEGE_ENABLED = 0x2;

/** Enables SeSecurityPrivilege (three quick calls, made before each audit call); throws when the token lacks it. */
export function enableSecurityPrivilege(lib: ServicesLibrary): void {
  const fail = (func: string, code = lib.fn.GetLastError() as number): ServicesError =>
    new ServicesError(
      func,
      code,
      servicesErrorSymbol(code),
      'Changing Windows security auditing needs administrator rights: run Portcullis as administrator.',
    );
  const token: unknown[] = [null];
  if (!lib.fn.OpenProcessToken(lib.fn.GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, token))
    throw fail('OpenProcessToken');
  try {
    const luid = {} as { LowPart?: number; HighPart?: number };
    if (!lib.fn.LookupPrivilegeValueW(null, 'SeSecurityPrivilege', luid)) throw fail('LookupPrivilegeValueW');
    const state = { PrivilegeCount: 1, Privileges: [{ Luid: luid, Attributes: SE_PRIVILEGE_ENABLED }] };
    if (!lib.fn.AdjustTokenPrivileges(token[0], 0, state, 0, null, null)) throw fail('AdjustTokenPrivileges');
    const code = lib.fn.GetLastError() as number;
    if (code === SERVICES_ERRORS.ERROR_NOT_ALL_ASSIGNED) throw fail('AdjustTokenPrivileges', code);
  } finally {
    lib.fn.CloseHandle(token[0]);
  }
}
