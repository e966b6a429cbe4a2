// The new-block notification window (360x260, bottom-right of the user's display, never focused). It shows the
// newest few apps main announced with 'notify', each by its full path and signer, with Allow and Block that arm only after
// the click guard's delay; "More…" opens the inbox. A card leaves when its decision is closed, from here or elsewhere.
import { useEffect, useState } from 'react';
import type { PendingDecision } from '../../../electron/core/model';
import { noticeName as appNoticeName } from '../../../electron/ipc/app-names';
import { hasBridge, invoke, on } from '../bridge/bridge';
import { AppPublisherBadge } from '../components/PublisherBadge';
import { formatEndpoint } from '../format/labels';
import { connectToCore } from '../store/connect';
import { useData } from '../store/data-store';
import { useArming } from '../views/decisions/useArming';

/** Cards shown at once; older announcements stay in the inbox. */
export const MAX_CARDS = 2;

/** The name a notification shows (electron/ipc/app-names.ts says why not the friendly one). */
export function noticeName(decision: PendingDecision): string {
  return appNoticeName(decision.app);
}

function Card({ decision }: { decision: PendingDecision }) {
  const remaining = useArming();
  const armed = remaining === 0;
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | undefined>();
  const endpoint = decision.endpoints[0];
  const headingId = `notice-${decision.id}`;
  const decide = async (action: 'allow' | 'block') => {
    if (!armed || busy) return;
    setBusy(true);
    try {
      await invoke('decisions.resolve', { decisionId: decision.id, action, scope: 'app', duration: 'forever' });
    } catch (error) {
      setFailed(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  };
  return (
    <section className="new-block" aria-labelledby={headingId}>
      <h2 id={headingId} className="new-block__name">
        {noticeName(decision)} was blocked
      </h2>
      <p className="new-block__path" title={decision.app.path ?? decision.app.key}>
        {decision.app.path ?? decision.app.serviceName ?? decision.app.key}
      </p>
      {/* Who signed it, with a mark when it claims a name it is not: a path alone does not say whose code it is. */}
      <p className="new-block__where">
        <AppPublisherBadge appKey={decision.app.key} />
        {endpoint && <> · tried {formatEndpoint(endpoint)}</>}
      </p>
      {failed && <p role="alert">{failed}</p>}
      <div className="new-block__actions">
        <button
          type="button"
          className="button button--allow"
          disabled={!armed || busy}
          onClick={() => void decide('allow')}
        >
          Allow
        </button>
        <button
          type="button"
          className="button button--block"
          disabled={!armed || busy}
          onClick={() => void decide('block')}
        >
          Block
        </button>
        <button type="button" className="button" onClick={() => void invoke('inbox.open', { decisionId: decision.id })}>
          More…
        </button>
      </div>
      {!armed && <p className="new-block__wait">Buttons wake up in a moment, so a stray click cannot decide.</p>}
    </section>
  );
}

export function NotificationApp() {
  const decisions = useData((s) => s.decisions);
  const [announced, setAnnounced] = useState<readonly string[]>([]);
  useEffect(() => connectToCore(), []);
  useEffect(() => {
    if (!hasBridge()) return;
    return on('notify', ({ decisionId }) =>
      setAnnounced((ids) => [decisionId, ...ids.filter((id) => id !== decisionId)]),
    );
  }, []);
  const open = announced.map((id) => decisions.get(id)).filter((d): d is PendingDecision => d !== undefined);
  const waiting = decisions.size - Math.min(open.length, MAX_CARDS);
  return (
    <main className="new-blocks" aria-label="Blocked apps">
      {open.slice(0, MAX_CARDS).map((d) => (
        <Card key={d.id} decision={d} />
      ))}
      {waiting > 0 && (
        <p className="new-blocks__more">
          {waiting === 1 ? '1 more app waits' : `${waiting} more apps wait`} in the Portcullis inbox.
        </p>
      )}
    </main>
  );
}
