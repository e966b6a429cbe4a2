import { memo } from 'react';
import type { Rule } from '../../../../electron/core/model';
import { AppIcon } from '../../components/AppIcon';
import { AppPublisherBadge } from '../../components/PublisherBadge';
import { rowPosition } from '../../components/VirtualTable';
import { formatAgo, ruleDurationLabel, ruleDurationShort } from '../../format/labels';
import { ruleScope, sourceLabel } from '../../format/rule';

export const RULE_ROW_HEIGHT = 52;

export const RuleRow = memo(function RuleRow({
  rule,
  index,
  start,
  onEdit,
  onRemove,
}: {
  rule: Rule;
  index: number;
  start: number;
  onEdit: (rule: Rule) => void;
  onRemove: (rule: Rule) => void;
}) {
  const name = rule.app.displayName;
  const duration = ruleDurationShort(rule.duration);
  return (
    <div
      role="row"
      aria-label={name}
      aria-rowindex={index + 2}
      className={`vtable__row vtable__row--body rules-grid rule-row rule-row--${rule.action}`}
      style={rowPosition(start, RULE_ROW_HEIGHT)}
    >
      <div role="gridcell" className="cell cell--name">
        <AppIcon path={rule.app.path} name={name} inRow />
        <span className="cell__stack">
          <span className="cell__main">
            {name} <AppPublisherBadge appKey={rule.app.key} />
          </span>
          <span className="cell__sub" title={rule.app.path ?? rule.app.key}>
            {rule.app.path ?? rule.app.key}
          </span>
        </span>
      </div>
      <div role="gridcell" className="cell">
        <span className={`pill pill--${rule.action === 'allow' ? 'allowed' : 'blocked'}`}>
          {rule.action === 'allow' ? 'Allow' : 'Block'}
        </span>
        {rule.notEnforced && (
          // Kept, but not in WFP: the reason is in the title and read out with the label.
          <span
            className="pill pill--pending"
            title={rule.notEnforced}
            aria-label={`Not enforced: ${rule.notEnforced}`}
          >
            Not enforced
          </span>
        )}
      </div>
      <div role="gridcell" className="cell cell--wrap">
        {ruleScope(rule)}
      </div>
      <div role="gridcell" className="cell" title={ruleDurationLabel(rule.duration)}>
        <span className="cell__stack">
          <span className="cell__main">{duration.main}</span>
          {duration.sub !== undefined && <span className="cell__sub">{duration.sub}</span>}
        </span>
      </div>
      <div role="gridcell" className="cell">
        {sourceLabel[rule.source]}
      </div>
      <div role="gridcell" className="cell cell--wrap" title={rule.note}>
        {rule.note ?? ''}
      </div>
      <div role="gridcell" className="cell cell--time">
        {rule.lastHit ? formatAgo(rule.lastHit) : 'never'}
      </div>
      <div role="gridcell" className="cell cell--actions">
        <button
          type="button"
          className="button button--small"
          onClick={() => onEdit(rule)}
          aria-label={`Edit rule for ${name}`}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button--small button--block"
          onClick={() => onRemove(rule)}
          aria-label={`Remove rule for ${name}`}
        >
          Remove
        </button>
      </div>
    </div>
  );
});
