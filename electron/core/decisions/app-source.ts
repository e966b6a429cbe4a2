// Where an app comes from, for budgets: many small programs started from one folder (a download folder, %TEMP%, a
// user's AppData) share one budget, so a standard user who runs 5,000 of them cannot crowd out the next real app.
import type { AppIdentity } from '../model';

/**
 * Folders any user can write to (or a user's own profile folders). A program under one of them counts against the
 * budget of that folder, however deep below it sits. Lower-case, backslashes, matched anywhere in the path.
 */
const USER_WRITABLE = [
  /^(.*\\users\\[^\\]+\\appdata\\local\\temp)\\/,
  /^(.*\\users\\[^\\]+\\downloads)\\/,
  /^(.*\\users\\[^\\]+\\desktop)\\/,
  /^(.*\\users\\[^\\]+\\appdata\\(?:local|roaming|locallow))\\/,
  /^(.*\\users\\public)\\/,
  /^(.*\\windows\\temp)\\/,
  /^(.*\\programdata)\\(?!microsoft\\)/,
];

/** True when the app's executable lives in a folder a standard user can write to (see USER_WRITABLE). */
export function isUserWritable(app: AppIdentity): boolean {
  const path = app.path?.toLowerCase();
  if (!path || app.kind !== 'path') return false;
  return USER_WRITABLE.some((pattern) => pattern.test(path));
}

/** The budget group of an app: its user-writable root, or its folder; services, packages and System are their own. */
export function appSource(app: AppIdentity): string {
  if (app.kind !== 'path' && app.kind !== 'svchost-unknown') return app.key;
  const path = (app.path ?? app.ntPath ?? app.key).toLowerCase();
  for (const pattern of USER_WRITABLE) {
    const match = pattern.exec(path);
    if (match?.[1]) return `dir:${match[1]}`;
  }
  const slash = path.lastIndexOf('\\');
  return slash > 0 ? `dir:${path.slice(0, slash)}` : app.key;
}
