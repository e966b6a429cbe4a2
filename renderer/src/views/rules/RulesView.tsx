import { useCallback, useMemo, useRef, useState } from 'react';
import type { ImportPreview, Rule } from '../../../../electron/core/model';
import { act, attemptCommand } from '../../components/act';
import { Dialog } from '../../components/Dialog';
import { downloadText, stamp } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { ColumnHeader, compareBy, useColumnSort, type ColumnSortState } from '../../components/ColumnSort';
import { VirtualTable } from '../../components/VirtualTable';
import { countFormat, plural } from '../../format/labels';
import { ruleScope } from '../../format/rule';
import { useData } from '../../store/data-store';
import { useUi } from '../../store/ui-store';
import { ImportDialog } from './ImportDialog';
import { MAX_IMPORT_BYTES, previewFile, type ImportSource } from './import-file';
import { RuleEditor } from './RuleEditor';
import { RULE_ROW_HEIGHT, RuleRow } from './RuleRow';

const RULE_COLUMNS: readonly (readonly [string, RuleColumn | undefined])[] = [
  ['App', 'app'],
  ['Action', 'action'],
  ['Scope', 'scope'],
  ['Duration', 'duration'],
  ['Source', 'source'],
  ['Note', undefined],
  ['Last hit', 'lastHit'],
  ['Change', undefined],
];

type RuleColumn = 'app' | 'action' | 'scope' | 'duration' | 'source' | 'lastHit';

/** The value a column sorts on: expiry time for durations (untimed rules last), hit time, words. */
function ruleSortValue(rule: Rule, column: RuleColumn): string | number | undefined {
  switch (column) {
    case 'app':
      return rule.app.displayName;
    case 'action':
      return rule.action;
    case 'scope':
      return ruleScope(rule);
    case 'duration':
      return rule.duration.kind === 'until'
        ? rule.duration.until
        : rule.duration.kind === 'untilRestart'
          ? 9e15
          : 9e15 + 1;
    case 'source':
      return rule.source;
    case 'lastHit':
      return rule.lastHit;
  }
}

function useFilteredRules(query: string, sort: ColumnSortState<RuleColumn>): readonly Rule[] {
  const rules = useData((s) => s.rules);
  return useMemo(() => {
    const needle = query.trim().toLowerCase();
    const list = [...rules.values()].filter(
      (r) =>
        needle === '' ||
        `${r.app.displayName} ${r.app.path ?? ''} ${r.app.key} ${r.note ?? ''} ${r.action} ${ruleScope(r)}`
          .toLowerCase()
          .includes(needle),
    );
    const primary = compareBy<Rule>((r) => ruleSortValue(r, sort.key), sort.dir);
    return list.sort(
      (a, b) => primary(a, b) || a.app.displayName.localeCompare(b.app.displayName) || a.created - b.created,
    );
  }, [rules, query, sort]);
}

export function RulesView() {
  const total = useData((s) => s.rules.size);
  const [query, setQuery] = useState('');
  const { sort, toggle } = useColumnSort<RuleColumn>({ key: 'app', dir: 'asc' }, { lastHit: 'desc' });
  const rules = useFilteredRules(query, sort);
  const [editing, setEditing] = useState<Rule | null>(null);
  const [removing, setRemoving] = useState<Rule | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [importing, setImporting] = useState<{
    fileName: string;
    source: ImportSource;
    preview: ImportPreview;
  } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const onEdit = useCallback((r: Rule) => setEditing(r), []);
  const onRemove = useCallback((r: Rule) => {
    setRemoveError(null);
    setRemoving(r);
  }, []);

  const exportRules = async () => {
    const result = await act('rules.export', {});
    if (result) downloadText(result.json, `portcullis-rules-${stamp()}.json`, 'application/json');
  };

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      useUi
        .getState()
        .notify('error', `${file.name} is larger than 256 MB; a rules export is far smaller. Choose another file.`);
      return;
    }
    const read = await previewFile(file);
    if (read) setImporting({ fileName: file.name, ...read });
  };

  const confirmRemove = async () => {
    if (!removing) return;
    const outcome = await attemptCommand('rules.remove', { ids: [removing.id] });
    if (!outcome.ok) return setRemoveError(outcome.message);
    useUi.getState().notify('info', `Removed the rule for ${removing.app.displayName}`);
    setRemoving(null);
  };

  return (
    <div className="view view--table">
      <div className="view__head">
        <h1>Rules</h1>
        <p className="view__lead">What Portcullis allows and blocks, kept on disk and re-applied to WFP at start.</p>
      </div>
      <div className="toolbar">
        <label className="field field--grow">
          <span className="field__label">Search</span>
          <input
            type="search"
            className="input"
            placeholder="App, path, note or scope"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-label="Search rules"
          />
        </label>
        <button type="button" className="button" onClick={() => void exportRules()} disabled={total === 0}>
          Export rules
        </button>
        <button type="button" className="button" onClick={() => fileInput.current?.click()}>
          Import rules…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Rules file to import"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            void chooseFile(file);
          }}
        />
        <p className="toolbar__count" role="status">
          {rules.length === total
            ? plural(total, 'rule')
            : `${countFormat.format(rules.length)} of ${plural(total, 'rule')}`}
        </p>
      </div>
      {total === 0 ? (
        <EmptyState title="No rules yet">
          Allow or block an app in the Blocked view, answer a decision, or commit what Learning found.
        </EmptyState>
      ) : rules.length === 0 ? (
        <EmptyState title="No rule matches">Change the search to see more rules.</EmptyState>
      ) : (
        <VirtualTable
          label="Rules"
          gridClass="rules-grid"
          rowCount={rules.length}
          rowHeight={RULE_ROW_HEIGHT}
          header={
            <>
              {RULE_COLUMNS.map(([label, column]) => (
                <ColumnHeader key={label} label={label} column={column} sort={sort} onSort={toggle} />
              ))}
            </>
          }
          renderRow={(i, start) => (
            <RuleRow rule={rules[i]!} index={i} start={start} onEdit={onEdit} onRemove={onRemove} />
          )}
        />
      )}
      {editing && <RuleEditor rule={editing} onClose={() => setEditing(null)} />}
      {removing && (
        <Dialog
          title={`Remove the rule for ${removing.app.displayName}?`}
          open
          onClose={() => setRemoving(null)}
          actions={
            <>
              <button type="button" className="button" onClick={() => setRemoving(null)}>
                Cancel
              </button>
              <button type="button" className="button button--block" onClick={() => void confirmRemove()}>
                Remove rule
              </button>
            </>
          }
        >
          <p>
            {removing.action === 'allow' ? 'Allow' : 'Block'} {removing.app.displayName}: {ruleScope(removing)}.
          </p>
          <p>Its WFP filters are removed at once. The app is treated as if it had never been decided.</p>
          {removeError && (
            <p className="form__error" role="alert">
              {removeError}
            </p>
          )}
        </Dialog>
      )}
      {importing && <ImportDialog {...importing} onClose={() => setImporting(null)} />}
    </div>
  );
}
