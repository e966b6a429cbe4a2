import type { Rule } from '../../../electron/core/model';
import { directionLabel, protocolName } from './labels';

/**
 * "Outbound, TCP, to port 443, to 1.2.3.4" or "Inbound, TCP, listening on port 8080" — what a rule matches, in
 * words. A local port is this computer's, a remote port the other side's (inbound, the sender's own port).
 */
export function ruleScope(
  rule: Pick<
    Rule,
    'direction' | 'protocol' | 'localPort' | 'remotePort' | 'remoteAddress' | 'overridesWindowsFirewall'
  >,
): string {
  const inbound = rule.direction === 'in';
  const parts = [directionLabel[rule.direction]];
  if (rule.protocol !== undefined) parts.push(protocolName(rule.protocol));
  if (rule.localPort !== undefined) parts.push(`listening on port ${rule.localPort}`);
  if (rule.remotePort !== undefined)
    parts.push(inbound ? `from port ${rule.remotePort}` : `to port ${rule.remotePort}`);
  if (rule.localPort === undefined && rule.remotePort === undefined) parts.push('any port');
  parts.push(rule.remoteAddress ? `${inbound ? 'from' : 'to'} ${rule.remoteAddress}` : 'any address');
  if (rule.overridesWindowsFirewall) parts.push('even where Windows Firewall blocks it');
  return parts.join(', ');
}

export const sourceLabel: Record<Rule['source'], string> = {
  user: 'You',
  prompt: 'Decision',
  learning: 'Learning',
  import: 'Import',
  essential: 'Essential',
};
