// Executable icons come from main (apps.icon) one path at a time, only for rows on screen, each asked once.
import { useEffect, useState } from 'react';
import { hasBridge, invoke } from '../bridge/bridge';

const resolved = new Map<string, string | null>();
const inFlight = new Map<string, Promise<string | null>>();

function loadIcon(path: string): Promise<string | null> {
  let promise = inFlight.get(path);
  if (!promise) {
    promise = invoke('apps.icon', { path })
      .catch(() => null)
      .then((url) => {
        const safe = typeof url === 'string' && url.startsWith('data:image/') ? url : null;
        resolved.set(path, safe);
        inFlight.delete(path);
        return safe;
      });
    inFlight.set(path, promise);
  }
  return promise;
}

export function AppIcon({ path, name, size = 20 }: { path?: string | undefined; name: string; size?: number }) {
  // Rows are reused for other apps as the list scrolls or sorts, so a loaded icon counts only for its own path.
  const [loaded, setLoaded] = useState<{ path: string; url: string | null } | null>(null);
  useEffect(() => {
    if (!path || resolved.has(path) || !hasBridge()) return;
    let live = true;
    void loadIcon(path).then((url) => {
      if (live) setLoaded({ path, url });
    });
    return () => {
      live = false;
    };
  }, [path]);
  const url = path ? (resolved.get(path) ?? (loaded?.path === path ? loaded.url : null)) : null;
  if (url) return <img className="app-icon" src={url} width={size} height={size} alt="" />;
  const letter = (name.trim()[0] ?? '?').toUpperCase();
  return (
    <span className="app-icon app-icon--placeholder" aria-hidden="true" style={{ width: size, height: size }}>
      {letter}
    </span>
  );
}
