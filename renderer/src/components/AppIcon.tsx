// An app's icon, or its initial until main has answered (see icon-store.ts for when it is asked).
import { useEffect, useState } from 'react';
import { hasBridge, invoke } from '../bridge/bridge';
import { IconStore } from './icon-store';

const icons = new IconStore({
  fetch: (path) =>
    invoke('apps.icon', { path }).then((url) =>
      typeof url === 'string' && url.startsWith('data:image/') ? url : null,
    ),
});

export function AppIcon({
  path,
  name,
  size = 20,
  inRow = false,
}: {
  path?: string | undefined;
  name: string;
  size?: number;
  /** In a table row, which shows other apps as the list moves: asked for once the app stays (icon-store.ts). */
  inRow?: boolean;
}) {
  // Rows are reused for other apps as the list scrolls or sorts, so a loaded icon counts only for its own path.
  const [loaded, setLoaded] = useState<{ path: string; url: string | null } | null>(null);
  useEffect(() => {
    if (!path || !hasBridge()) return;
    return icons.show(path, (url) => setLoaded({ path, url }), inRow);
  }, [path, inRow]);
  const url = path ? (icons.get(path) ?? (loaded?.path === path ? loaded.url : null)) : null;
  if (url) return <img className="app-icon" src={url} width={size} height={size} alt="" />;
  const letter = (name.trim()[0] ?? '?').toUpperCase();
  return (
    <span className="app-icon app-icon--placeholder" aria-hidden="true" style={{ width: size, height: size }}>
      {letter}
    </span>
  );
}
