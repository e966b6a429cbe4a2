import { useState } from 'react';
import type { ImportPreview, Rule } from '../../../../electron/core/model';
import { attemptCommand } from '../../components/act';
import { useUi } from '../../store/ui-store';
import { Dialog } from '../../components/Dialog';
import { ruleScope } from '../../format/rule';

function RuleList({ rules }: { rules: readonly Rule[] }) {
  return (
    <ul className="compact-list">
      {rules.slice(0, 50).map((r, i) => (
        <li key={`${r.id}-${i}`}>
          <strong>{r.action === 'allow' ? 'Allow' : 'Block'}</strong> {r.app.displayName}{' '}
          <span className="muted">— {ruleScope(r)}</span>
        </li>
      ))}
      {rules.length > 50 && <li className="muted">and {rules.length - 50} more</li>}
    </ul>
  );
}

export function ImportDialog({
  fileName,
  json,
  preview,
  onClose,
}: {
  fileName: string;
  json: string;
  preview: ImportPreview;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const changes = preview.added.length + preview.replaced.length;
  const confirm = async () => {
    setBusy(true);
    const outcome = await attemptCommand('rules.import', { json });
    setBusy(false);
    if (!outcome.ok) return setFailure(outcome.message);
    useUi.getState().notify('info', `Imported ${changes} rule${changes === 1 ? '' : 's'} from ${fileName}`);
    onClose();
  };
  return (
    <Dialog
      title={`Import rules from ${fileName}`}
      open
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => void confirm()}
            disabled={busy || changes === 0}
          >
            {changes === 0 ? 'Nothing to import' : `Import ${changes} rule${changes === 1 ? '' : 's'}`}
          </button>
        </>
      }
    >
      <p>
        {preview.added.length} new, {preview.replaced.length} replacing existing rules, {preview.unchanged} unchanged
        {preview.errors.length ? `, ${preview.errors.length} with errors (skipped)` : ''}.
      </p>
      {preview.added.length > 0 && (
        <section aria-label="Rules to add">
          <h3>Added</h3>
          <RuleList rules={preview.added} />
        </section>
      )}
      {preview.replaced.length > 0 && (
        <section aria-label="Rules to replace">
          <h3>Replaced</h3>
          <RuleList rules={preview.replaced} />
        </section>
      )}
      {failure && (
        <p className="form__error" role="alert">
          {failure}
        </p>
      )}
      {preview.errors.length > 0 && (
        <section aria-label="Errors">
          <h3>Errors</h3>
          <ul className="compact-list form__error">
            {preview.errors.slice(0, 50).map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}
