import { useData } from '../store/data-store';

/** Problems core wants the user to know about (a store set aside, a subscription re-established...). */
export function Notices() {
  const notices = useData((s) => s.status?.notices);
  if (!notices?.length) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {notices.slice(-3).map((n) => (
        <li key={n.id} className={`notice notice--${n.level}`} role={n.level === 'error' ? 'alert' : undefined}>
          {n.message}
        </li>
      ))}
    </ul>
  );
}
