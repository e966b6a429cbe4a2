// Where Windows can hold a rule for one svchost service to that service, and where it cannot. A service rule is
// svchost.exe AND an ALE_USER_ID condition on the service's SID (as Windows Defender Firewall's service rules are):
// ALE checks the condition against the connecting thread's token.
// - A service whose SID type is "none" has no service SID in its token: the condition never matches, so the rule
//   would never apply (learn.microsoft.com "SERVICE_SID_INFO": SERVICE_SID_TYPE_NONE; `sc qsidtype <name>`).
// - A service that connects while impersonating is checked against the impersonated user's token, which lacks the
//   service SID: BITS and Windows Update downloads, CryptSvc's certificate fetches (MicrosoftDocs/windows-itpro-docs
//   #8093; henrypp/simplewall #677, #1318). The rule applies to their own connections only.
import type { ServiceSource } from './port';

/** Services known to make their network connections while impersonating another account, and what that misses. */
export const IMPERSONATING_SERVICES: ReadonlyMap<string, string> = new Map([
  ['bits', 'BITS downloads while impersonating the user who asked for the download'],
  ['wuauserv', 'Windows Update downloads through BITS, impersonating'],
  ['cryptsvc', 'CryptSvc fetches certificates and revocation lists while impersonating the program that asked'],
]);

/** Why a rule for this service cannot be held to it by Windows at all; undefined when it can. */
export function serviceRuleRefusal(name: string, source: ServiceSource | undefined): string | undefined {
  let sidType: string | undefined;
  try {
    sidType = source?.serviceSidType?.(name);
  } catch {
    return undefined; // the configuration cannot be read: nothing to say for certain
  }
  if (sidType !== 'none') return undefined;
  return (
    `Windows cannot tell ${name} apart from the other services in svchost.exe: its service SID type is "none" ` +
    `(sc qsidtype ${name}), so its connections carry no service SID and a rule for it would never apply. ` +
    `Make the rule for svchost.exe instead (it then covers every service in svchost.exe), or give the service a SID ` +
    `as administrator: sc sidtype ${name} unrestricted, then restart it`
  );
}

/** What a rule for this service cannot cover, said once when the rule is made; undefined when nothing. */
export function serviceRuleCaveat(name: string): string | undefined {
  const why = IMPERSONATING_SERVICES.get(name.toLowerCase());
  if (why === undefined) return undefined;
  return (
    `The rule for ${name} applies to its own connections only: ${why}, and Windows then checks the user's ` +
    `identity, not the service's. Those connections fall under svchost.exe's rules (the HTTPS and HTTP essentials)`
  );
}
