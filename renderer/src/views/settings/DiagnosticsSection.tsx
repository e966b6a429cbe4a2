// The event path's counters, for troubleshooting: useful when something looks wrong, noise in the status bar
// otherwise.
import type { Status } from '../../../../electron/core/model';
import { countFormat } from '../../format/labels';
import { useData } from '../../store/data-store';

export function DiagnosticsSection() {
  const status = useData((s) => s.status);
  if (!status) return null;
  const c = status.counters;
  const rows: [string, string, boolean][] = [
    ['Backend', status.backend === 'wfp' ? 'Windows Filtering Platform' : 'Simulator', false],
    ...deliveryRow(status.delivery),
    ['Events received', countFormat.format(c.eventsIn), false],
    ['Events per second', countFormat.format(Math.round(c.eventsPerSecond)), false],
    ['Malformed events skipped', countFormat.format(c.malformed), c.malformed > 0],
    ['Events lost by Windows', countFormat.format(c.lost), c.lost > 0],
    ['Routine blocks (no decision needed)', countFormat.format(status.routineBlocks ?? 0), false],
    ['Apps blocked beyond the decision budget', countFormat.format(status.moreAppsBlocked ?? 0), false],
  ];
  return (
    <section className="settings-section" aria-labelledby="settings-diagnostics">
      <h2 id="settings-diagnostics">Diagnostics</h2>
      <dl className="facts diagnostics">
        {rows.map(([label, value, warn]) => (
          <div key={label} className={warn ? 'diagnostics__warn' : undefined}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The per-event path is slower under a flood: shown as a warning with why it is in use. */
function deliveryRow(delivery: Status['delivery']): [string, string, boolean][] {
  if (!delivery) return [];
  if (delivery.mode === 'ring') return [['Event delivery', 'Batched (event ring)', false]];
  return [
    ['Event delivery', `One callback per event, slower under a flood: ${delivery.note ?? 'reason not given'}`, true],
  ];
}
