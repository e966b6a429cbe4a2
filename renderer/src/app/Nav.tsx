import { useData } from '../store/data-store';
import { useUi } from '../store/ui-store';
import { views } from './views';

export function Nav() {
  const current = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const pending = useData((s) => s.decisions.size);
  return (
    <nav className="nav" aria-label="Views">
      <ul className="nav__list">
        {views.map((v) => (
          <li key={v.id}>
            <a
              className="nav__link"
              href={`#${v.id}`}
              aria-current={current === v.id ? 'page' : undefined}
              onClick={() => setView(v.id)}
            >
              {v.label}
              {v.id === 'decisions' && pending > 0 && (
                <span className="badge" aria-label={`${pending} pending`}>
                  {pending}
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
