import { useId, useState } from 'react';
import { SelectField } from '../../components/SelectField';
import type { Rule, RuleDirection, RuleDuration } from '../../../../electron/core/model';
import type { CommandArgs } from '../../../../electron/ipc/contract';
import { attemptCommand } from '../../components/act';
import { useUi } from '../../store/ui-store';
import { Dialog } from '../../components/Dialog';
import { ruleDurationLabel } from '../../format/labels';

type DurationChoice = 'keep' | 'forever' | 'untilRestart' | '1h' | '24h' | '7d';
const HOUR = 3_600_000;
const durationOffsets: Partial<Record<DurationChoice, number>> = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR };

function toDuration(choice: DurationChoice, now: number): RuleDuration | undefined {
  if (choice === 'keep') return undefined;
  if (choice === 'forever' || choice === 'untilRestart') return { kind: choice };
  return { kind: 'until', until: now + (durationOffsets[choice] ?? HOUR) };
}

interface Draft {
  action: Rule['action'];
  direction: RuleDirection;
  protocol: string;
  localPort: string;
  remotePort: string;
  remoteAddress: string;
  duration: DurationChoice;
  note: string;
}

function validate(d: Draft): string | null {
  for (const [value, which] of [
    [d.localPort, 'listening port'],
    [d.remotePort, 'remote port'],
  ] as const) {
    if (value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return `The ${which} must be a whole number from 1 to 65535.`;
  }
  const address = d.remoteAddress.trim();
  if (address !== '' && (address.length < 2 || address.length > 64 || /\s/.test(address)))
    return 'The remote address must be an IP address or a prefix such as 10.0.0.0/8.';
  if (d.note.length > 1000) return 'The note can hold at most 1000 characters.';
  return null;
}

export function RuleEditor({ rule, onClose }: { rule: Rule; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>({
    action: rule.action,
    direction: rule.direction,
    protocol: rule.protocol === undefined ? '' : String(rule.protocol),
    localPort: rule.localPort === undefined ? '' : String(rule.localPort),
    remotePort: rule.remotePort === undefined ? '' : String(rule.remotePort),
    remoteAddress: rule.remoteAddress ?? '',
    duration: 'keep',
    note: rule.note ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formId = useId();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async () => {
    const problem = validate(draft);
    setError(problem);
    if (problem) return;
    const patch: CommandArgs<'rules.update'>['patch'] = {
      action: draft.action,
      direction: draft.direction,
      protocol: draft.protocol === '' ? null : Number(draft.protocol),
      localPort: draft.localPort === '' ? null : Number(draft.localPort),
      remotePort: draft.remotePort === '' ? null : Number(draft.remotePort),
      remoteAddress: draft.remoteAddress.trim() === '' ? null : draft.remoteAddress.trim(),
      note: draft.note,
    };
    const duration = toDuration(draft.duration, Date.now());
    if (duration) patch.duration = duration;
    setSaving(true);
    const outcome = await attemptCommand('rules.update', { id: rule.id, patch });
    setSaving(false);
    if (!outcome.ok) return setError(outcome.message);
    useUi.getState().notify('info', `Saved the rule for ${rule.app.displayName}`);
    onClose();
  };

  return (
    <Dialog
      title={`Edit rule for ${rule.app.displayName}`}
      open
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={saving}>
            Save rule
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <p className="muted">{rule.app.path ?? rule.app.key}</p>
        {rule.overridesWindowsFirewall && (
          <p className="muted">This allow overrides Windows Defender Firewall&apos;s blocks for this app.</p>
        )}
        <SelectField
          label="Action"
          value={draft.action}
          options={[
            ['allow', 'Allow'],
            ['block', 'Block'],
          ]}
          onChange={(action) => set({ action })}
        />
        <SelectField
          label="Direction"
          value={draft.direction}
          options={[
            ['out', 'Outbound'],
            ['in', 'Inbound'],
            ['both', 'Both directions'],
          ]}
          onChange={(direction: RuleDirection) => set({ direction })}
        />
        <SelectField
          label="Protocol"
          value={draft.protocol}
          options={[
            ['', 'Any'],
            ['6', 'TCP'],
            ['17', 'UDP'],
            ['1', 'ICMP'],
            ['58', 'ICMPv6'],
          ]}
          onChange={(protocol) => set({ protocol })}
        />
        <label className="field">
          <span className="field__label">Listening on port (this computer, inbound)</span>
          <input
            className="input"
            inputMode="numeric"
            placeholder="Any"
            value={draft.localPort}
            onChange={(e) => set({ localPort: e.target.value.trim() })}
          />
        </label>
        <label className="field">
          <span className="field__label">
            {draft.direction === 'in' ? "Sender's port (chosen by the sender)" : 'To port (the other computer)'}
          </span>
          <input
            className="input"
            inputMode="numeric"
            placeholder="Any"
            value={draft.remotePort}
            onChange={(e) => set({ remotePort: e.target.value.trim() })}
          />
        </label>
        <label className="field">
          <span className="field__label">Remote address</span>
          <input
            className="input mono"
            placeholder="Any (or 1.2.3.4, 10.0.0.0/8, 2001:db8::/32)"
            value={draft.remoteAddress}
            onChange={(e) => set({ remoteAddress: e.target.value })}
          />
        </label>
        <SelectField
          label="Duration"
          value={draft.duration}
          options={[
            ['keep', `Keep: ${ruleDurationLabel(rule.duration)}`],
            ['forever', 'Forever'],
            ['untilRestart', 'Until restart'],
            ['1h', 'For 1 hour from now'],
            ['24h', 'For 24 hours from now'],
            ['7d', 'For 7 days from now'],
          ]}
          onChange={(duration: DurationChoice) => set({ duration })}
        />
        <label className="field">
          <span className="field__label">Note</span>
          <textarea className="input" rows={2} value={draft.note} onChange={(e) => set({ note: e.target.value })} />
        </label>
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
