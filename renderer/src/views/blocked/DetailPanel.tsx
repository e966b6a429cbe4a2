import type { AppEntry } from '../../../../electron/core/model';
import { AppIcon } from '../../components/AppIcon';
import { PublisherBadge } from '../../components/PublisherBadge';
import {
  blockedByLabel,
  countFormat,
  directionLabel,
  formatAgo,
  formatDateTime,
  hostLabel,
  protocolName,
  stateLabel,
} from '../../format/labels';
import { serviceHint } from '../../format/services';
import { useApp } from '../../store/app-selectors';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';
import { decideApps } from './AppRow';
import { TimelineChart } from './TimelineChart';
import { useCurrentEndpoints } from './useCurrentEndpoints';

export function DetailPanel({ appKey }: { appKey: string }) {
  const app = useApp(appKey);
  if (!app) return null;
  return <Details app={app} />;
}

function Details({ app }: { app: AppEntry }) {
  const appKey = app.identity.key;
  const rule = useData((s) => (app.ruleId ? s.rules.get(app.ruleId) : undefined));
  const close = useUi((s) => s.showDetail);
  const servicesOn = useData((s) => s.settings?.tellServicesApart === true);
  // With their current attempts and last-seen times (a row keeps only the list and its order current).
  const endpoints = useCurrentEndpoints(app);
  const id = app.identity;
  const name = id.displayName;
  return (
    <aside className="detail" aria-label={`Details for ${name}`}>
      <div className="detail__head">
        <AppIcon path={id.path} name={name} size={32} />
        <div className="detail__title">
          <h2>{name}</h2>
          <p className="muted detail__path">{id.path ?? id.serviceName ?? id.key}</p>
        </div>
        <button type="button" className="button button--ghost" onClick={() => close(null)} aria-label="Close details">
          ×
        </button>
      </div>
      {id.kind === 'svchost-unknown' && <p className="muted">{serviceHint(id, servicesOn)}.</p>}
      {app.canOverrideWindowsFirewall && (
        <p className="muted">
          A Windows Defender Firewall rule blocks {name}. An allow of Portcullis does not lift another firewall&apos;s
          block unless you choose to, for this app only.
        </p>
      )}
      <div className="detail__actions detail__actions--compact">
        <button
          type="button"
          className="button button--small button--allow"
          onClick={() => void decideApps([appKey], 'allow', name)}
        >
          Allow {name}
        </button>
        {app.canOverrideWindowsFirewall && (
          <button
            type="button"
            className="button button--small button--allow"
            onClick={() => void decideApps([appKey], 'allow', name, true)}
            title="Also lifts other products' blocks of this program: another firewall's, or a VPN's kill switch."
          >
            Allow even where Windows Firewall blocks it
          </button>
        )}
        <button
          type="button"
          className="button button--small button--block"
          onClick={() => void decideApps([appKey], 'block', name)}
        >
          Block {name}
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => void decideApps([appKey], 'ignore', name)}
        >
          Ignore {name}
        </button>
      </div>
      <dl className="facts">
        <dt>Publisher</dt>
        <dd>
          <PublisherBadge publisher={app.publisher} full />
        </dd>
        <dt>State</dt>
        <dd>{stateLabel[app.state]}</dd>
        <dt>Blocked</dt>
        <dd>{countFormat.format(app.blockedCount)} times</dd>
        <dt>Allowed</dt>
        <dd>{countFormat.format(app.allowedCount)} times</dd>
        <dt>First seen</dt>
        <dd>{formatDateTime(app.firstSeen)}</dd>
        <dt>Last seen</dt>
        <dd>{formatAgo(app.lastSeen)}</dd>
        <dt>Why blocked</dt>
        <dd>
          {blockedByLabel[app.blockedBy]}
          {app.blockedByFilter && <> — filter “{app.blockedByFilter}”</>}
        </dd>
        <dt>Directions</dt>
        <dd>{app.directions.map((d) => directionLabel[d]).join(', ') || '—'}</dd>
        <dt>Protocols</dt>
        <dd>{app.protocols.map(protocolName).join(', ') || '—'}</dd>
        <dt>Ports</dt>
        <dd>{app.ports.join(', ') || '—'}</dd>
        <dt>Rule</dt>
        <dd>
          {rule
            ? `${rule.action === 'allow' ? 'Allow' : 'Block'}, ${directionLabel[rule.direction].toLowerCase()} (${rule.source})${rule.overridesWindowsFirewall ? ', even where Windows Firewall blocks it' : ''}`
            : 'None'}
        </dd>
      </dl>
      <h3>Attempts</h3>
      <TimelineChart timeline={app.timeline} appName={name} />
      <h3>Endpoints</h3>
      {endpoints.length === 0 ? (
        <p className="muted">No remote endpoints recorded.</p>
      ) : (
        <table className="simple-table">
          <caption className="visually-hidden">Endpoints contacted by {name}</caption>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Address</th>
              <th scope="col">Port</th>
              <th scope="col">Protocol</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={`${e.address}|${e.port ?? ''}|${e.protocol ?? ''}`}>
                <td>{hostLabel(e) ?? '—'}</td>
                <td className="mono">{e.address}</td>
                <td>{e.port === undefined ? '—' : e.inbound ? `${e.port} (this computer)` : e.port}</td>
                <td>{protocolName(e.protocol)}</td>
                <td>{countFormat.format(e.count)}</td>
                <td>{formatAgo(e.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
