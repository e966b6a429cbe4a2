import { useEffect, useRef, useState } from 'react';
import type { DecisionDuration, DecisionScope, PendingDecision } from '../../../../electron/core/model';
import { AppIcon } from '../../components/AppIcon';
import { AppPublisherBadge } from '../../components/PublisherBadge';
import { act } from '../../components/act';
import {
  blockedByLabel,
  countFormat,
  decisionDurationLabel,
  formatAgo,
  formatEndpoint,
  hostLabel,
  protocolName,
  scopeLabel,
  compactScopeLabel,
} from '../../format/labels';
import { useArming, useClock } from './useArming';

/** When this window last sent a decision: the card that replaces it then takes the keyboard focus. */
let lastDecisionAt = 0;

const scopes: readonly DecisionScope[] = ['app', 'appAndPort', 'appAndAddress'];
const durations: readonly DecisionDuration[] = ['untilRestart', '1h', '24h', 'forever'];

function Countdown({ deadline, action }: { deadline: number; action: 'allow' | 'block' }) {
  const now = useClock(1000);
  const left = Math.max(0, Math.round((deadline - now) / 1000));
  const mm = Math.floor(left / 60);
  const ss = String(left % 60).padStart(2, '0');
  return (
    <p className="decision__deadline">
      If you do not decide, Portcullis will <strong>{action === 'allow' ? 'allow' : 'keep blocking'}</strong> it in{' '}
      <span className="mono">
        {mm}:{ss}
      </span>
      .
    </p>
  );
}

export function DecisionCard({ decision, compact = false }: { decision: PendingDecision; compact?: boolean }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // After a decision the next card takes its place: focus goes to it, not to the page body.
  useEffect(() => {
    const justDecided = Date.now() - lastDecisionAt < 5_000;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (justDecided && lost) headingRef.current?.focus();
  }, []);
  const remaining = useArming();
  const armed = remaining === 0;
  const [scope, setScope] = useState<DecisionScope>('app');
  const [duration, setDuration] = useState<DecisionDuration>('forever');
  const [endpointIndex, setEndpointIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [override, setOverride] = useState(false);
  const app = decision.app;
  const name = app.displayName;
  const endpoint = decision.endpoints[endpointIndex] ?? decision.endpoints[0];
  const headingId = `decision-${decision.id}-title`;

  const resolve = async (action: 'allow' | 'block') => {
    if (!armed || busy) return;
    lastDecisionAt = Date.now();
    setBusy(true);
    const verb = action === 'allow' ? 'Allowed' : 'Denied';
    const result = await act(
      'decisions.resolve',
      {
        decisionId: decision.id,
        action,
        scope,
        duration,
        endpointIndex,
        ...(override && action === 'allow' ? { overrideWindowsFirewall: true as const } : {}),
      },
      `${verb} ${name}`,
    );
    if (!result) setBusy(false);
  };

  const inactive = !armed || busy;
  return (
    <section className={`decision${compact ? ' decision--compact' : ''}`} aria-labelledby={headingId}>
      <div className="decision__head">
        <AppIcon path={app.path} name={name} size={compact ? 32 : 40} />
        <div className="decision__title">
          <h2 id={headingId} ref={headingRef} tabIndex={-1}>
            {name}
          </h2>
          <p className="muted decision__path" title={app.path ?? app.serviceName ?? app.key}>
            {app.path ?? app.serviceName ?? app.key}
          </p>
          <AppPublisherBadge appKey={app.key} full />
        </div>
      </div>
      {endpoint?.hostname && endpoint.hostnameSource === 'dns' ? (
        <p className="decision__want">
          {name} wants to reach <strong>{endpoint.hostname}</strong>
        </p>
      ) : null}
      {compact ? (
        <p className="decision__lead">
          Blocked by <strong>{blockedByLabel[decision.blockedBy]}</strong>
          {endpoint ? (
            <>
              {' · '}
              <span className="mono">{endpoint.hostname ?? endpoint.address}</span>
              {endpoint.port !== undefined && (
                <>
                  {', '}
                  <strong>
                    {endpoint.inbound ? `listening on port ${endpoint.port}` : `to port ${endpoint.port}`}
                  </strong>
                </>
              )}{' '}
              {protocolName(endpoint.protocol)}
            </>
          ) : null}
          . {countFormat.format(decision.attempts)} {decision.attempts === 1 ? 'attempt' : 'attempts'};{' '}
          {decision.canOverrideWindowsFirewall
            ? 'an allow connects it only with the override below.'
            : 'allowed, it connects on its next try.'}
        </p>
      ) : (
        <p className="decision__lead">
          <strong>{blockedByLabel[decision.blockedBy]}</strong> blocked this connection
          {decision.blockedByFilter ? <> (filter “{decision.blockedByFilter}”)</> : null}. It has already been refused:
          if you allow it, {name} must try again to connect.
        </p>
      )}
      {!compact && (
        <dl className="facts">
          <dt>Destination</dt>
          <dd>{endpoint ? (hostLabel(endpoint) ?? 'no host name') : 'unknown'}</dd>
          <dt>Address</dt>
          <dd className="mono">{endpoint?.address ?? '—'}</dd>
          <dt>Direction</dt>
          <dd>
            {decision.direction === 'in' ? 'Inbound' : decision.direction === 'both' ? 'Both directions' : 'Outbound'}
          </dd>
          <dt>Port</dt>
          <dd>
            {endpoint?.port === undefined
              ? '—'
              : endpoint.inbound
                ? `listening on port ${endpoint.port}`
                : `to port ${endpoint.port}`}
          </dd>
          <dt>Protocol</dt>
          <dd>{protocolName(endpoint?.protocol)}</dd>
          <dt>Attempts so far</dt>
          <dd>{countFormat.format(decision.attempts)}</dd>
          <dt>Waiting since</dt>
          <dd>{formatAgo(decision.opened)}</dd>
        </dl>
      )}
      {decision.endpoints.length > 1 && (
        <label className="field">
          <span className="field__label">Decide for destination</span>
          <select className="input" value={endpointIndex} onChange={(e) => setEndpointIndex(Number(e.target.value))}>
            {decision.endpoints.map((e, i) => (
              <option key={i} value={i}>
                {formatEndpoint(e)} {protocolName(e.protocol)}
              </option>
            ))}
          </select>
        </label>
      )}
      {/* Before scope and duration: it decides what Allow does, and the prompt shows it without scrolling. */}
      {decision.canOverrideWindowsFirewall && (
        <label className="choice">
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />
          {compact ? (
            <>
              Allow even where Windows Firewall blocks it; this also lifts other firewalls&apos; and VPN kill
              switches&apos; blocks of this program.
            </>
          ) : (
            <>
              Allow even where Windows Firewall blocks it. A Windows Defender Firewall rule dropped this; an allow of
              Portcullis does not lift it unless you choose this, for this rule only. It then lifts other products&apos;
              blocks of this program too: another firewall&apos;s, or a VPN&apos;s kill switch.
            </>
          )}
        </label>
      )}
      <div className="decision__choices">
        <fieldset className="fieldset">
          <legend>Scope</legend>
          {scopes.map((s) => (
            <label key={s} className="choice">
              <input
                type="radio"
                name={`scope-${decision.id}`}
                value={s}
                checked={scope === s}
                disabled={(s === 'appAndPort' && endpoint?.port === undefined) || (s !== 'app' && !endpoint)}
                onChange={() => setScope(s)}
              />
              {compact ? compactScopeLabel[s] : scopeLabel[s]}
            </label>
          ))}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Duration</legend>
          {durations.map((d) => (
            <label key={d} className="choice">
              <input
                type="radio"
                name={`duration-${decision.id}`}
                value={d}
                checked={duration === d}
                onChange={() => setDuration(d)}
              />
              {decisionDurationLabel[d]}
            </label>
          ))}
        </fieldset>
      </div>
      {decision.deadline !== undefined && (
        <Countdown deadline={decision.deadline} action={decision.defaultAction ?? 'block'} />
      )}
      <div className="decision__actions">
        <button
          type="button"
          className="button button--allow button--large"
          aria-disabled={inactive}
          aria-describedby={armed ? undefined : `${headingId}-wait`}
          aria-label={`Allow ${name}`}
          onClick={() => void resolve('allow')}
        >
          {compact ? 'Allow' : `Allow ${name}`}
        </button>
        <button
          type="button"
          className="button button--block button--large"
          aria-disabled={inactive}
          aria-describedby={armed ? undefined : `${headingId}-wait`}
          aria-label={`Deny ${name}`}
          onClick={() => void resolve('block')}
        >
          {compact ? 'Deny' : `Deny ${name}`}
        </button>
        {!armed && (
          <span id={`${headingId}-wait`} className="muted decision__wait">
            Buttons active in {(remaining / 1000).toFixed(1)} s
          </span>
        )}
      </div>
    </section>
  );
}
