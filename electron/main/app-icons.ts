// 'apps.icon': the executable's icon from the shell, as a data: URL for <img>. Cached (bounded) because the
// Blocked view asks for the same few hundred paths again and again while scrolling.
import type { AppLike } from './deps';

export function createIconProvider(app: Pick<AppLike, 'getFileIcon'>, limit = 512) {
  const cache = new Map<string, Promise<string | null>>();
  return (args: { path: string }): Promise<string | null> => {
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
