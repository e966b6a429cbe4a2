// Keeps "Tell Windows services apart" and Windows' audit policy in step: the setting on starts auditing (remembering
// what it found, once, in serviceAuditBefore); off puts exactly that back and forgets it. A refusal (not elevated,
// no Security log) leaves the setting as the user chose and says why, so it works at the next elevated start.
import type { Notice, Settings } from '../model';
import type { ServiceNames } from './service-names';

export interface ServiceSettingResult {
  readonly settings: Settings;
  readonly notice?: { readonly level: Notice['level']; readonly message: string };
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function syncServiceNames(names: ServiceNames, settings: Settings): Promise<ServiceSettingResult> {
  if (settings.tellServicesApart === true) {
    if (names.state.state === 'on') return { settings };
    try {
      const change = names.start();
      // Only the first change is remembered: a later start finds failure auditing on because of us.
      if (!change.changed || settings.serviceAuditBefore !== undefined) return { settings };
      return { settings: { ...settings, serviceAuditBefore: change.before } };
    } catch (e) {
      return {
        settings,
        notice: {
          level: 'warning',
          message: `Windows services are not told apart (svchost rows say "service unknown"): ${reason(e)}`,
        },
      };
    }
  }
  const before = settings.serviceAuditBefore;
  try {
    await names.stop(before);
  } catch (e) {
    return {
      settings,
      notice: {
        level: 'warning',
        message: `Windows security auditing of blocked connections could not be put back as it was: ${reason(e)}`,
      },
    };
  }
  if (before === undefined) return { settings };
  const rest: Record<string, unknown> = { ...settings };
  delete rest.serviceAuditBefore;
  return { settings: rest as unknown as Settings };
}
