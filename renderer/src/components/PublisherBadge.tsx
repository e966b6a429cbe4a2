// Who signed an app ("Google LLC, verified", "not signed", "signature does not match"), with the risk spelled out
// where the app deserves a second look. Rows show it compact; the detail panel and the prompt show the risk in full.
import type { AppPublisher } from '../../../electron/core/model';
import { useApp } from '../store/app-selectors';

export function PublisherBadge({ publisher, full = false }: { publisher: AppPublisher | undefined; full?: boolean }) {
  if (!publisher) return full ? <span className="muted">checking…</span> : null;
  // A file that could not be read has nothing to say in a row or a notification; the detail panel says why.
  if (publisher.status === 'unreadable' && !full) return null;
  const risky = publisher.risk !== undefined;
  return (
    <span
      className={`publisher publisher--${publisher.status}${risky ? ' publisher--risk' : ''}`}
      title={publisher.risk ?? publisher.label}
    >
      {risky ? <span aria-label="Risk: ">⚠ </span> : null}
      {publisher.label}
      {risky && full ? <span className="publisher__risk">{publisher.risk}</span> : null}
    </span>
  );
}

/** The publisher of the app a decision or rule is about, from the app index (absent for apps not seen lately). */
export function AppPublisherBadge({ appKey, full = false }: { appKey: string; full?: boolean }) {
  const publisher = useApp(appKey)?.publisher;
  return <PublisherBadge publisher={publisher} full={full} />;
}
