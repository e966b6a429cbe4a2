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
  if (rule.remoteAddress !== undefined) parts.push(rule.remoteAddress);
  if (rule.remotePort !== undefined) parts.push(`port ${rule.remotePort}`);
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
  for (const n of status.notices) lines.push(`${n.level.toUpperCase()}: ${n.message}`);
  return lines.join('\n');
}

export function formatPreview(preview: ImportPreview): string {
  const lines = [
    `${preview.added.length} to add, ${preview.replaced.length} to replace, ${preview.unchanged} unchanged`,
  ];
  for (const r of preview.added) lines.push(`  + ${r.action} ${r.app.path ?? r.app.displayName} (${formatScope(r)})`);
  for (const r of preview.replaced)
    lines.push(`  ~ ${r.app.path ?? r.app.displayName} (was ${r.action}, ${formatScope(r)})`);
  for (const e of preview.errors) lines.push(`  ! ${e}`);
  return lines.join('\n');
}
