import { attemptCommand } from '../components/act';
import { useData } from '../store/data-store';

/**
 * Problems core wants the user to know about (a store set aside, a rule not enforced...). Core sends each notice
 * once, with a count when it was reported again; each can be closed.
 */
export function Notices() {
  const notices = useData((s) => s.status?.notices);
  if (!notices?.length) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {notices.slice(-3).map((n) => (
        <li key={n.id} className={`notice notice--${n.level}`} role={n.level === 'error' ? 'alert' : undefined}>
          <span className="notice__message">
            {n.message}
            {n.count && n.count > 1 ? <span className="muted"> (reported {n.count} times)</span> : null}
          </span>
          <button
            type="button"
            className="notice__close"
            aria-label="Close notice"
            title="Close"
            onClick={() => void attemptCommand('notices.dismiss', { id: n.id })}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
