import { useState } from 'react';
import type { ImportItem, ImportPreview } from '../../../../electron/core/model';
import { attemptCommand } from '../../components/act';
import { Dialog } from '../../components/Dialog';
import { ruleScope } from '../../format/rule';
import { useUi } from '../../store/ui-store';
import type { ImportSource } from './import-file';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Where the rule applies: the program's real path (not only its name), the service or the package. */
function target(item: ImportItem): string {
  const app = item.rule.app;
  if (app.kind === 'system') return 'System (the Windows kernel)';
  if (app.kind === 'package') return `package ${app.packageSid ?? app.key}`;
  if (app.kind === 'service') return `service ${app.serviceName ?? ''} in ${app.path ?? 'svchost.exe'}`;
  return app.path ?? app.ntPath ?? app.key;
}

function ItemList({ items, total }: { items: readonly ImportItem[]; total: number }) {
  return (
    <ul className="compact-list import-list" tabIndex={0}>
      {items.map((item, i) => (
        <li
          key={`${item.rule.app.key}-${i}`}
          className={item.warning ? 'import-item import-item--flagged' : 'import-item'}
        >
          <div>
            <strong>{item.rule.action === 'allow' ? 'Allow' : 'Block'}</strong> {item.rule.app.displayName}
            {item.replaces && (
              <span className="muted">
                {' '}
                (replaces a rule that {item.replaces.action === 'allow' ? 'allows' : 'blocks'})
              </span>
            )}
          </div>
          <div className="import-item__path">{target(item)}</div>
          <div className="muted">{ruleScope(item.rule)}</div>
          {item.warning && (
            <div className="import-item__warning">
              <strong>Review:</strong> this rule {item.warning}
            </div>
          )}
        </li>
      ))}
      {total > items.length && <li className="muted">and {total - items.length} more</li>}
    </ul>
  );
}

export function ImportDialog({
  fileName,
  source,
  preview,
  onClose,
}: {
  fileName: string;
  source: ImportSource;
  preview: ImportPreview;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const counts = preview.counts ?? {
    added: preview.added.length,
    replaced: preview.replaced.length,
    errors: preview.errors.length,
  };
  const items = preview.items ?? [];
  const flagged = items.filter((i) => i.warning).length;
  const changes = counts.added + counts.replaced;
  const blocked = counts.errors > 0;
  const confirm = async () => {
    setBusy(true);
    const outcome = await attemptCommand('rules.import', {
      ...source,
      ...(preview.token ? { token: preview.token } : {}),
    });
    setBusy(false);
    if (!outcome.ok) return setFailure(outcome.message);
    const imported = outcome.value.imported ?? 0;
    // Only what core says it wrote is announced.
    if (imported === 0) return setFailure(outcome.value.errors[0] ?? 'Nothing was imported.');
    useUi.getState().notify('info', `Imported ${plural(imported, 'rule')} from ${fileName}`);
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
            disabled={busy || changes === 0 || blocked}
          >
            {blocked || changes === 0 ? 'Nothing to import' : `Import ${plural(changes, 'rule')}`}
          </button>
        </>
      }
    >
      <p>
        {counts.added} new, {counts.replaced} replacing existing rules, {preview.unchanged} unchanged
        {counts.errors ? `, ${counts.errors} with errors` : ''}.
      </p>
      <p className={blocked ? 'form__error' : 'muted'}>
        {blocked
          ? 'Nothing is imported while a rule has an error: fix the file or remove those rules, then open it again.'
          : 'All or nothing: every rule listed below is written, exactly as shown, or none is.'}
      </p>
      {flagged > 0 && (
        <p className="import-item__warning" role="note">
          {plural(flagged, 'rule')} override an essential, block a part of Windows or allow a program in a folder others
          can write to. Check them before importing.
        </p>
      )}
      {failure && (
        <p className="form__error" role="alert">
          {failure}
        </p>
      )}
      {counts.errors > 0 && (
        <section aria-label="Errors">
          <h3>Errors</h3>
          <ul className="compact-list form__error">
            {preview.errors.slice(0, 50).map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </section>
      )}
      {items.length > 0 && (
        <section aria-label="Rules to import">
          <h3>{blocked ? 'Rules in the file' : 'Rules to import'}</h3>
          <ItemList items={items} total={changes} />
        </section>
      )}
    </Dialog>
  );
}
