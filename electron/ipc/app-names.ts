// How an app is named where the user decides with one click and may not open its details (a notification, the
// tray menu): by what cannot be faked by a file name alone.
import type { AppIdentity } from '../core/model';

/**
 * The executable's own file name for apps with a path: the friendly name comes from a table of well-known file
 * names, and a msmpeng.exe in a user's Downloads folder must not appear as "Microsoft Defender Antivirus".
 */
export function noticeName(app: Pick<AppIdentity, 'path' | 'displayName'>): string {
  const path = app.path;
  if (!path) return app.displayName;
  return path.slice(path.lastIndexOf('\\') + 1) || app.displayName;
}
