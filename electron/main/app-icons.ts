// 'apps.icon': the executable's icon from the shell, as a data: URL for <img>. Cached (bounded) because the
// Blocked view asks for the same few hundred paths again and again while scrolling.
import type { AppLike } from './deps';

/**
 * Only files on a drive letter. The path comes from the renderer; reading the icon of \\host\share\x.exe
 * (or of a \\?\UNC\ device path) would make this elevated process open a remote file and hand the administrator's
 * network credentials to whatever answers there. A text check: a letter mapped to a share passes it. The paths the
 * renderer has come from WFP's events, which name a program on a share \\host\share\... (native/paths.ts), or
 * from rules the user wrote.
 */
export function isLocalDrivePath(path: string): boolean {
  return /^[a-zA-Z]:\\/.test(path) && !path.includes('\0');
}

export function createIconProvider(app: Pick<AppLike, 'getFileIcon'>, limit = 512) {
  const cache = new Map<string, Promise<string | null>>();
  return (args: { path: string }): Promise<string | null> => {
    if (!isLocalDrivePath(args.path)) return Promise.resolve(null);
    const key = args.path.toLowerCase();
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const icon = app.getFileIcon(args.path, { size: 'normal' }).then(
      (image) => (image.isEmpty() ? null : image.toDataURL()),
      () => null,
    );
    cache.set(key, icon);
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    return icon;
  };
}
