import type { Rule } from '../../../electron/core/model';
import { directionLabel, protocolName } from './labels';

/** "Outbound, TCP, port 443, to 1.2.3.4" — what a rule matches, in words. */
export function ruleScope(rule: Pick<Rule, 'direction' | 'protocol' | 'remotePort' | 'remoteAddress'>): string {
  const parts = [directionLabel[rule.direction]];
  if (rule.protocol !== undefined) parts.push(protocolName(rule.protocol));
  parts.push(rule.remotePort !== undefined ? `port ${rule.remotePort}` : 'any port');
  parts.push(rule.remoteAddress ? `to ${rule.remoteAddress}` : 'any address');
  return parts.join(', ');
}

export const sourceLabel: Record<Rule['source'], string> = {
  user: 'You',
  prompt: 'Decision',
  learning: 'Learning',
  import: 'Import',
  essential: 'Essential',
};
