// Turns a decision (action, scope, duration) into the rule it creates.
import type { DecisionDuration, DecisionScope, PendingDecision, RuleAction, RuleDuration } from '../model';
import type { RuleDraft } from '../rules/rule-store';
import { CoreError } from '../util/errors';

const HOUR = 3_600_000;

export function decisionDuration(duration: DecisionDuration, now: number): RuleDuration {
  switch (duration) {
    case 'untilRestart':
      return { kind: 'untilRestart' };
    case '1h':
      return { kind: 'until', until: now + HOUR };
    case '24h':
      return { kind: 'until', until: now + 24 * HOUR };
    case 'forever':
      return { kind: 'forever' };
  }
}

export function ruleFromDecision(
  decision: PendingDecision,
  action: RuleAction,
  scope: DecisionScope,
  duration: DecisionDuration,
  now: number,
  decidedBy: 'user' | 'timeout',
  endpointIndex = 0,
  direction: 'out' | 'in' | 'both' = 'out',
): RuleDraft {
  const endpoint = decision.endpoints[endpointIndex];
  if (scope !== 'app' && !endpoint) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `The decision for ${decision.app.displayName} has no endpoint ${endpointIndex}; choose the scope "app" or another endpoint.`,
    );
  }
  if (scope === 'appAndPort' && endpoint?.port === undefined) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      'That endpoint has no port (ICMP?); choose the scope "app" or "appAndAddress".',
    );
  }
  const rule: RuleDraft = {
    app: decision.app,
    action,
    direction,
    duration: decisionDuration(duration, now),
    source: 'prompt',
    decidedBy,
    ...(scope === 'appAndPort' && endpoint
      ? {
          remotePort: endpoint.port as number,
          ...(endpoint.protocol !== undefined ? { protocol: endpoint.protocol } : {}),
        }
      : {}),
    ...(scope === 'appAndAddress' && endpoint ? { remoteAddress: endpoint.address } : {}),
    ...(decidedBy === 'timeout' ? { note: 'Applied by itself when the decision timed out.' } : {}),
  };
  return rule;
}
