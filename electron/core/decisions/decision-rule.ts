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

/** Why this decision cannot make a rule that overrides Windows Firewall, or undefined when it can. */
function overrideRefusal(decision: PendingDecision, action: RuleAction): string | undefined {
  if (action !== 'allow') return 'Only an allow can override Windows Firewall.';
  if (decision.app.kind === 'package')
    return `${decision.app.displayName} is a packaged app: Windows isolates its network access, and Portcullis never lifts that.`;
  if (!decision.canOverrideWindowsFirewall)
    return `${decision.app.displayName} was not blocked by a Windows Defender Firewall rule, so there is nothing of Windows Firewall's to override; allow it without that option.`;
  return undefined;
}

export function ruleFromDecision(
  decision: PendingDecision,
  action: RuleAction,
  scope: DecisionScope,
  duration: DecisionDuration,
  now: number,
  decidedBy: 'user' | 'timeout',
  endpointIndex = 0,
  direction: 'out' | 'in' | 'both' = decision.direction ?? 'out',
  overrideWindowsFirewall = false,
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
  const refusal = overrideWindowsFirewall ? overrideRefusal(decision, action) : undefined;
  if (refusal) throw new CoreError('INVALID_ARGUMENT', refusal);
  // A port belongs to one direction: inbound it is this computer's (listening) port, outbound the one connected to.
  const portRule =
    scope === 'appAndPort' && endpoint
      ? {
          direction: endpoint.inbound ? ('in' as const) : ('out' as const),
          ...(endpoint.inbound ? { localPort: endpoint.port as number } : { remotePort: endpoint.port as number }),
          ...(endpoint.protocol !== undefined ? { protocol: endpoint.protocol } : {}),
        }
      : undefined;
  const rule: RuleDraft = {
    app: decision.app,
    action,
    direction,
    duration: decisionDuration(duration, now),
    source: 'prompt',
    decidedBy,
    ...portRule,
    ...(scope === 'appAndAddress' && endpoint ? { remoteAddress: endpoint.address } : {}),
    ...(overrideWindowsFirewall ? { overridesWindowsFirewall: true } : {}),
    ...(decidedBy === 'timeout' ? { note: 'Applied by itself when the decision timed out.' } : {}),
  };
  return rule;
}
