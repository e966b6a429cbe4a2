import { memo } from 'react';
import { AppIcon } from '../../components/AppIcon';
import { PublisherBadge } from '../../components/PublisherBadge';
import { act } from '../../components/act';
import { rowPosition } from '../../components/VirtualTable';
import {
  blockedByLabel,
  countFormat,
  formatAgo,
  formatDestination,
  formatEndpoint,
  formatFullDateTime,
  stateLabel,
} from '../../format/labels';
import { serviceHint } from '../../format/services';
import { useApp } from '../../store/app-selectors';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';

export const APP_ROW_HEIGHT = 48;

export type AppDecision = 'allow' | 'block' | 'ignore';

export function decideApps(appKeys: readonly string[], decision: AppDecision, what: string, override = false) {
  const verb = decision === 'allow' ? 'Allowed' : decision === 'block' ? 'Blocked' : 'Ignoring';
  return act(
    'apps.decide',
    { appKeys: [...appKeys], decision, ...(override ? { overrideWindowsFirewall: true as const } : {}) },
    override ? `${verb} ${what}, even where Windows Firewall blocks it` : `${verb} ${what}`,
  );
}

/** The single keys that decide for the focused row (shown in the Decide column's header and on the buttons). */
export const KEY_DECISIONS: Readonly<Record<string, AppDecision>> = { a: 'allow', b: 'block', i: 'ignore' };

const pressedFor: Record<AppDecision, string> = { allow: 'allowed', block: 'blocked', ignore: 'ignored' };

export const AppRow = memo(function AppRow({
  appKey,
  index,
  start,
  selected,
  current,
}: {
  appKey: string;
  index: number;
  start: number;
  selected: boolean;
  current: boolean;
}) {
  const app = useApp(appKey);
  const servicesOn = useData((s) => s.settings?.tellServicesApart === true);
  const toggleSelected = useUi((s) => s.toggleSelected);
  const showDetail = useUi((s) => s.showDetail);
  if (!app) return null;
  const id = app.identity;
  const name = id.displayName;
  const top = app.endpoints.slice(0, 2).map(formatDestination).join(', ');
  const more = app.endpoints.length > 2 ? ` +${app.endpoints.length - 2}` : '';
  return (
    <div
      role="row"
      aria-label={name}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`vtable__row vtable__row--body apps-grid app-row app-row--${app.state}${current ? ' app-row--current' : ''}`}
      style={rowPosition(start, APP_ROW_HEIGHT)}
    >
      <div role="gridcell" className="cell cell--check">
        <input
          type="checkbox"
          checked={selected}
          onChange={() => toggleSelected(appKey)}
          aria-label={`Select ${name}`}
        />
      </div>
      <div role="gridcell" className="cell cell--name">
        <AppIcon path={id.path} name={name} inRow />
        <button
          type="button"
          className="link-button"
          onClick={() => showDetail(appKey)}
          title={`${name}: show details`}
        >
          {name}
        </button>
        <PublisherBadge publisher={app.publisher} />
      </div>
      <div role="gridcell" className="cell cell--path" title={id.path ?? id.serviceName ?? id.key}>
        {id.path ?? (id.serviceName ? `service ${id.serviceName}` : id.key)}
        {id.kind === 'svchost-unknown' && (
          <span className="cell__sub" title={serviceHint(id, servicesOn)}>
            {serviceHint(id, servicesOn)}
          </span>
        )}
      </div>
      <div role="gridcell" className="cell cell--num">
        {countFormat.format(app.blockedCount)}
      </div>
      <div role="gridcell" className="cell cell--time" title={formatFullDateTime(app.lastSeen)}>
        {formatAgo(app.lastSeen)}
      </div>
      <div role="gridcell" className="cell cell--dest" title={app.endpoints.map(formatEndpoint).join('\n')}>
        {top}
        {more && <span className="muted">{more}</span>}
      </div>
      <div role="gridcell" className="cell cell--by" title={app.blockedByFilter}>
        {app.blockedCount === 0 ? (
          <span className="muted">Not blocked</span>
        ) : (
          <>
            <span className={`by by--${app.blockedBy}`}>{blockedByLabel[app.blockedBy]}</span>
            {app.blockedByFilter && <span className="cell__sub">{app.blockedByFilter}</span>}
          </>
        )}
      </div>
      <div role="gridcell" className="cell cell--state">
        <span className={`pill pill--${app.state}`}>{stateLabel[app.state]}</span>
      </div>
      <div role="gridcell" className="cell cell--actions">
        {(['allow', 'block', 'ignore'] as const).map((d) => (
          <button
            key={d}
            type="button"
            className={`button button--small button--${d}`}
            aria-label={`${d === 'allow' ? 'Allow' : d === 'block' ? 'Block' : 'Ignore'} ${name}`}
            aria-pressed={app.state === pressedFor[d]}
            aria-keyshortcuts={d === 'allow' ? 'A' : d === 'block' ? 'B' : 'I'}
            onClick={() => void decideApps([appKey], d, name)}
          >
            {d === 'allow' ? 'Allow' : d === 'block' ? 'Block' : 'Ignore'}
          </button>
        ))}
      </div>
    </div>
  );
});
