// Text output of the CLI: short lines a shell user can read and grep.
import type { ActivityEntry, ImportPreview, Rule, Status } from '../model';

const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };

export function protocolName(protocol: number | undefined): string {
  return protocol === undefined ? '' : (PROTOCOLS[protocol] ?? `proto ${protocol}`);
}

export function formatEvent(e: ActivityEntry): string {
  const time = new Date(e.time).toISOString().slice(11, 23);
  const where = e.remoteAddress ? `${e.remoteAddress}${e.remotePort !== undefined ? `:${e.remotePort}` : ''}` : '-';
  const dir = e.direction === 'in' ? '<-' : '->';
  const why = e.verdict === 'blocked' ? ` [${e.blockedBy ?? 'unknown'}${e.filterName ? `: ${e.filterName}` : ''}]` : '';
  return `${time} ${e.verdict.toUpperCase().padEnd(7)} ${e.appName} ${dir} ${where} ${protocolName(e.protocol)}${why}`;
}

export function formatScope(rule: Rule): string {
  const parts: string[] = [];
  if (rule.protocol !== undefined) parts.push(protocolName(rule.protocol));
  if (rule.localPort !== undefined) parts.push(`listening on port ${rule.localPort}`);
  if (rule.remoteAddress !== undefined)
    parts.push(rule.direction === 'in' ? `from ${rule.remoteAddress}` : rule.remoteAddress);
  if (rule.remotePort !== undefined)
    parts.push(rule.direction === 'in' ? `from port ${rule.remotePort}` : `to port ${rule.remotePort}`);
  if (rule.overridesWindowsFirewall) parts.push('(overrides Windows Firewall)');
  return parts.length > 0 ? parts.join(' ') : 'any';
}

export function formatDuration(rule: Rule): string {
  switch (rule.duration.kind) {
    case 'forever':
      return 'forever';
    case 'untilRestart':
      return 'until restart';
    case 'until':
      return `until ${new Date(rule.duration.until).toISOString()}`;
  }
}

export function formatRules(rules: readonly Rule[]): string {
  if (rules.length === 0) return 'No rules.';
  const rows = rules.map((r) => [
    r.id,
    r.action,
    r.direction,
    formatScope(r),
    formatDuration(r),
    r.app.path ?? r.app.displayName,
  ]);
  const header = ['ID', 'ACTION', 'DIR', 'SCOPE', 'DURATION', 'APPLICATION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatStatus(status: Status, dataDir: string): string {
  const lines = [
    `Mode:       ${status.mode}`,
    `Backend:    ${status.backend === 'wfp' ? 'Windows Filtering Platform' : 'simulator'}`,
    `Rules:      ${status.rules}`,
    `Data:       ${dataDir}`,
  ];
  if (status.delivery?.mode === 'ring') lines.push('Events:     batched through the event ring');
  else if (status.delivery) {
    lines.push(
      `Events:     one callback per event (slower under a flood): ${status.delivery.note ?? 'reason not given'}`,
    );
  }
  for (const n of status.notices) lines.push(`${n.level.toUpperCase()}: ${n.message}`);
  return lines.join('\n');
}

/** What an import would write, rule by rule (program, action, direction, conditions), flagged rules marked. */
export function formatPreview(preview: ImportPreview): string {
  const counts = preview.counts ?? {
    added: preview.added.length,
    replaced: preview.replaced.length,
    errors: preview.errors.length,
  };
  const lines = [
    `${counts.added} to add, ${counts.replaced} to replace, ${preview.unchanged} unchanged` +
      `${counts.errors > 0 ? `, ${counts.errors} with errors` : ''} (all or nothing)`,
  ];
  const items = preview.items ?? preview.added.map((rule) => ({ rule, replaces: undefined, warning: undefined }));
  for (const { rule, replaces, warning } of items) {
    const app = rule.app.path ?? rule.app.packageSid ?? rule.app.displayName;
    const service = rule.app.serviceName ? ` service ${rule.app.serviceName}` : '';
    const was = replaces ? `, was ${replaces.action}` : '';
    lines.push(
      `  ${replaces ? '~' : '+'} ${rule.action} ${rule.direction} ${app}${service} (${formatScope(rule)}${was})`,
    );
    if (warning) lines.push(`      warning: ${warning}`);
  }
  const shown = items.length;
  if (counts.added + counts.replaced > shown) lines.push(`  … and ${counts.added + counts.replaced - shown} more`);
  for (const e of preview.errors) lines.push(`  ! ${e}`);
  return lines.join('\n');
}
