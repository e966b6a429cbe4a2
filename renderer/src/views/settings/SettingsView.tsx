import { useState } from 'react';
import type { Mode, Settings } from '../../../../electron/core/model';
import { act } from '../../components/act';
import { EmptyState } from '../../components/EmptyState';
import { formatDateTime, modeExplanation, modeLabel } from '../../format/labels';
import { needsPreview, requestMode } from '../../app/mode-request';
import { DiagnosticsSection } from './DiagnosticsSection';
import { useData } from '../../store/data-store';
import { AutostartSection } from './AutostartSection';
import { NumberSetting } from './NumberSetting';
import { saveSettings } from './save-settings';
import { StorageSection } from './StorageSection';
import { useClock } from '../decisions/useArming';

const modes: readonly Mode[] = ['monitor', 'learning', 'enforce', 'off'];

function ModeSection({ mode }: { mode: Mode }) {
  // The choice shows at once; it yields to core's answer as soon as the mode in the store moves on.
  const [requested, setRequested] = useState<{ from: Mode; to: Mode } | null>(null);
  const shown = requested && requested.from === mode ? requested.to : mode;
  const choose = async (m: Mode) => {
    // Enforce opens its preview; the radio stays on the current mode until the switch is confirmed.
    if (needsPreview(m)) return void requestMode(m);
    setRequested({ from: mode, to: m });
    if (!(await requestMode(m))) setRequested(null);
  };
  return (
    <section className="settings-section" aria-labelledby="settings-mode">
      <h2 id="settings-mode">Mode</h2>
      <div role="radiogroup" aria-labelledby="settings-mode" className="mode-list">
        {modes.map((m) => (
          <label key={m} className={`mode-option${m === shown ? ' mode-option--current' : ''}`}>
            <input
              type="radio"
              name="mode"
              value={m}
              checked={m === shown}
              aria-describedby={`mode-${m}-help`}
              onChange={() => void choose(m)}
            />
            <span className="mode-option__text">
              <strong>{modeLabel[m]}</strong>
              <span id={`mode-${m}-help`} className="muted">
                {modeExplanation[m]}
              </span>
            </span>
          </label>
        ))}
      </div>
    </section>
  );
}

function NotificationSection({ settings }: { settings: Settings }) {
  const n = settings.notifications;
  const now = useClock(30_000);
  const paused = n.pausedUntil !== undefined && n.pausedUntil > now;
  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications">Notifications</h2>
      <label className="choice">
        <input
          type="checkbox"
          checked={n.enabled}
          onChange={(e) => void saveSettings({ notifications: { ...n, enabled: e.target.checked } }, 'notifications')}
        />
        Show a notification when a new app is blocked
      </label>
      <div className="field-grid">
        <NumberSetting
          label="At most one per app every"
          unit="minutes"
          min={0}
          max={1440}
          value={n.perAppMinutes}
          onCommit={(v) =>
            void saveSettings({ notifications: { ...n, perAppMinutes: v ?? 0 } }, 'notifications per app')
          }
        />
        <NumberSetting
          label="At most, all apps together"
          unit="per minute"
          min={1}
          max={60}
          value={n.maxPerMinute}
          onCommit={(v) =>
            void saveSettings({ notifications: { ...n, maxPerMinute: v ?? 1 } }, 'notifications per minute')
          }
        />
      </div>
      <p>
        {paused ? `Paused until ${formatDateTime(n.pausedUntil!)}. ` : ''}
        {paused ? (
          <button
            type="button"
            className="button"
            onClick={() => void act('notifications.pause', { minutes: 0 }, 'Notifications resumed')}
          >
            Resume notifications
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => void act('notifications.pause', { minutes: 60 }, 'Notifications paused for 1 hour')}
          >
            Pause notifications for 1 hour
          </button>
        )}
      </p>
    </section>
  );
}

function DecisionSection({ settings }: { settings: Settings }) {
  return (
    <section className="settings-section" aria-labelledby="settings-decisions">
      <h2 id="settings-decisions">Decisions</h2>
      <div className="field-grid">
        <NumberSetting
          label="Decide by itself after"
          unit="seconds"
          min={5}
          max={86_400}
          allowEmpty
          help="Leave empty to wait for you, however long it takes."
          value={settings.decisionTimeoutSeconds}
          onCommit={(v) => void saveSettings({ decisionTimeoutSeconds: v }, 'decision timeout')}
        />
        <label className="field">
          <span className="field__label">Then</span>
          <select
            className="input"
            value={settings.decisionDefaultAction}
            onChange={(e) =>
              void saveSettings(
                { decisionDefaultAction: e.target.value as Settings['decisionDefaultAction'] },
                'default action',
              )
            }
          >
            <option value="block">Keep blocking</option>
            <option value="allow">Allow</option>
          </select>
        </label>
      </div>
      <label className="choice">
        <input
          type="checkbox"
          checked={settings.decideRoutineBlocks === true}
          aria-describedby="routine-help"
          onChange={(e) => void saveSettings({ decideRoutineBlocks: e.target.checked }, 'routine blocks')}
        />
        Ask about routine blocks too
      </label>
      <p id="routine-help" className="muted">
        Windows blocks unsolicited connections from other computers and local network discovery (NetBIOS, SSDP, LLMNR,
        mDNS) all day. They are counted and listed in Blocked and Activity; turn this on to get a decision and a
        notification for each.
      </p>
      <label className="choice">
        <input
          type="checkbox"
          checked={settings.tellServicesApart === true}
          aria-describedby="services-help"
          onChange={(e) => void saveSettings({ tellServicesApart: e.target.checked }, 'Windows services')}
        />
        Tell Windows services apart
      </label>
      <p id="services-help" className="muted">
        Names the service behind each blocked svchost.exe connection (Windows Update, BITS, DNS Client) instead of
        &ldquo;service unknown&rdquo;. It turns on Windows security auditing of blocked connections, which writes an
        entry to the Security log for each one; turning it off puts Windows&apos; audit setting back as it was.
      </p>
    </section>
  );
}

function EssentialsSection({ settings }: { settings: Settings }) {
  const toggle = (id: string, enabled: boolean) =>
    saveSettings({ essentials: settings.essentials.map((e) => (e.id === id ? { ...e, enabled } : e)) }, 'essentials');
  return (
    <section className="settings-section" aria-labelledby="settings-essentials">
      <h2 id="settings-essentials">Essentials</h2>
      <p className="muted">
        Always allowed in Enforce, so Windows keeps its network (name resolution, address, time, updates).
      </p>
      {settings.essentials.length === 0 ? (
        <p className="muted">No essentials are defined.</p>
      ) : (
        <ul className="essentials">
          {settings.essentials.map((e) => (
            <li key={e.id}>
              <label className="choice">
                <input
                  type="checkbox"
                  role="switch"
                  checked={e.enabled}
                  aria-describedby={`essential-${e.id}`}
                  onChange={(ev) => void toggle(e.id, ev.target.checked)}
                />
                <strong>{e.name}</strong>
              </label>
              <span id={`essential-${e.id}`} className="muted essentials__help">
                {e.description}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function SettingsView() {
  const settings = useData((s) => s.settings);
  const dataFolder = useData((s) => s.status?.dataFolder);
  return (
    <div className="view view--scroll">
      <div className="view__head">
        <h1>Settings</h1>
      </div>
      {!settings ? (
        <EmptyState title="Settings are not loaded" />
      ) : (
        <div className="settings">
          <ModeSection mode={settings.mode} />
          <NotificationSection settings={settings} />
          <DecisionSection settings={settings} />
          <EssentialsSection settings={settings} />
          <AutostartSection />
          <StorageSection settings={settings} dataFolder={dataFolder} />
          <DiagnosticsSection />
        </div>
      )}
    </div>
  );
}
