// What an svchost row says about the service behind it: Windows' net events never name it; the Security log can,
// once the user turns on "Tell Windows services apart" in Settings.
import type { AppIdentity } from '../../../electron/core/model';

export function serviceHint(id: AppIdentity, servicesOn: boolean): string {
  if (id.services && id.services.length > 1)
    return `One process runs ${id.services.join(' and ')}; Windows does not say which of them connected`;
  if (!servicesOn) return 'Service unknown: turn on Settings › Tell Windows services apart to name it';
  return 'Service unknown: Windows wrote no audit record for these connections';
}
