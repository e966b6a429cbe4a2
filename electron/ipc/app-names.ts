// How an app is named where the user decides with one click and may not open its details (a notification, the
// tray menu): by what cannot be faked by a file name alone.
import type { AppIdentity } from '../core/model';

/**
 * The executable's own file name for programs (and packaged apps): the friendly name comes from a table of
 * well-known file names, and a msmpeng.exe in a user's Downloads folder must not appear as "Microsoft Defender
 * Antivirus". A service keeps its name, which comes from the service list, not from a file name; its path is
 * svchost.exe's, shared by all of them.
 */
export function noticeName(app: Pick<AppIdentity, 'kind' | 'path' | 'displayName'>): string {
  const path = app.path;
  if (!path || (app.kind !== 'path' && app.kind !== 'package')) return app.displayName;
  return path.slice(path.lastIndexOf('\\') + 1) || app.displayName;
}
