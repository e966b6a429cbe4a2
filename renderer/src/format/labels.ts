// Words the user reads for the values core publishes.
import type {
  AppState,
  BlockedBy,
  DecisionDuration,
  DecisionScope,
  Mode,
  RuleDirection,
  RuleDuration,
} from '../../../electron/core/model';

const protocols: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  58: 'ICMPv6',
  132: 'SCTP',
};

export function protocolName(protocol: number | undefined): string {
  if (protocol === undefined) return 'any protocol';
  return protocols[protocol] ?? `protocol ${protocol}`;
}

export const blockedByLabel: Record<BlockedBy, string> = {
  'windows-firewall': 'Windows Defender Firewall',
  portcullis: 'Portcullis',
  other: 'Other software',
  unknown: 'Unknown',
};

export const stateLabel: Record<AppState, string> = {
  new: 'New',
  allowed: 'Allowed',
  blocked: 'Blocked',
  ignored: 'Ignored',
  pending: 'Pending',
};

export const directionLabel: Record<RuleDirection | 'forward', string> = {
  out: 'Outbound',
  in: 'Inbound',
  both: 'Both directions',
  forward: 'Forwarded',
};

export const modeLabel: Record<Mode, string> = {
  monitor: 'Monitor',
  learning: 'Learning',
  enforce: 'Enforce',
  off: 'Off',
};

export const modeExplanation: Record<Mode, string> = {
  monitor:
    'Watch what Windows blocks and explain why. Portcullis adds no blocking of its own; your rules to allow apps still apply.',
  learning:
    'Record every app that connects and propose an allow rule for each. Nothing new is blocked; commit the proposals when you are done.',
  enforce: 'Block every app that has no allow rule. A newly blocked app opens a decision so you can allow or deny it.',
  off: 'Remove every Portcullis filter and stop watching. Windows Defender Firewall keeps working as before.',
};

export const scopeLabel: Record<DecisionScope, string> = {
  app: 'This app, any destination',
  appAndPort: 'This app, this port only',
  appAndAddress: 'This app, this address only',
};

/** The same choices where space is short (the prompt window). */
export const compactScopeLabel: Record<DecisionScope, string> = {
  app: 'Any destination',
  appAndPort: 'This port only',
  appAndAddress: 'This address only',
};

export const decisionDurationLabel: Record<DecisionDuration, string> = {
  untilRestart: 'Until restart',
  '1h': 'For 1 hour',
  '24h': 'For 24 hours',
  forever: 'Forever',
};

export function ruleDurationLabel(duration: RuleDuration, now = Date.now()): string {
  switch (duration.kind) {
    case 'forever':
      return 'Forever';
    case 'untilRestart':
      return 'Until restart';
    case 'until':
      return duration.until <= now ? 'Expired' : `Until ${formatDateTime(duration.until)}`;
  }
}

/**
 * The same for a table cell, in two short lines so that it fits: "Until 14:05" today; "Until 2:05 PM" over
 * "Tomorrow" or "Dec 3" on another day (a date and a 12-hour time in one line overflowed the column).
 */
export function ruleDurationShort(duration: RuleDuration, now = Date.now()): { main: string; sub?: string } {
  if (duration.kind !== 'until' || duration.until <= now) return { main: ruleDurationLabel(duration, now) };
  const main = `Until ${hourMinute.format(duration.until)}`;
  const day = new Date(duration.until);
  if (day.toDateString() === new Date(now).toDateString()) return { main };
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  return { main, sub: day.toDateString() === tomorrow.toDateString() ? 'Tomorrow' : monthDay.format(day) };
}

const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const fullDateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(ms: number): string {
  return timeFormat.format(ms);
}

export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(ms);
}

/**
 * "Dec 2, 2026, 1:55:12 AM", for a tooltip. One formatter made once: Date's toLocaleString makes a new one on each
 * call, and a row's tooltip is written every time a batch changes the row.
 */
export function formatFullDateTime(ms: number): string {
  return fullDateTimeFormat.format(ms);
}

/** "just now", "5 s ago", "3 min ago", "2 h ago", or the date. */
export function formatAgo(ms: number, now = Date.now()): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  return formatDateTime(ms);
}

export function formatEndpoint(e: {
  readonly address: string;
  readonly port?: number | undefined;
  readonly hostname?: string | undefined;
  readonly hostnameSource?: 'dns' | 'reverse' | undefined;
}): string {
  const address = e.port !== undefined && e.address.includes(':') ? `[${e.address}]` : e.address;
  const hostPort = e.port !== undefined ? `${address}:${e.port}` : address;
  if (!e.hostname) return hostPort;
  return e.hostnameSource === 'reverse' ? `${hostPort} (reverse name ${e.hostname})` : `${e.hostname} (${hostPort})`;
}

/** The host column of an endpoint: the looked-up name, or the reverse-DNS name marked as such. */
export function hostLabel(e: {
  readonly hostname?: string | undefined;
  readonly hostnameSource?: 'dns' | 'reverse' | undefined;
}): string | undefined {
  if (!e.hostname) return undefined;
  return e.hostnameSource === 'reverse' ? `${e.hostname} (reverse name)` : e.hostname;
}

/** Short form for table cells: the host name when known, else the address; with the port. */
export function formatDestination(e: {
  readonly address: string;
  readonly port?: number | undefined;
  readonly hostname?: string | undefined;
  readonly hostnameSource?: 'dns' | 'reverse' | undefined;
}): string {
  const address = e.port !== undefined && e.address.includes(':') ? `[${e.address}]` : e.address;
  // A reverse name is usually a CDN machine's: the address says as much in a narrow cell.
  const host = e.hostname && e.hostnameSource !== 'reverse' ? e.hostname : address;
  return e.port !== undefined ? `${host}:${e.port}` : host;
}

export const countFormat = new Intl.NumberFormat();

/** "1 rule", "2 rules", "1,024 apps"; `many` when the plural is not the noun plus "s". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${countFormat.format(n)} ${n === 1 ? one : many}`;
}

/** Short date for table cells: "Dec 1, 14:05" (this year) so it fits; the full date goes in the title. */
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
export function formatShortDateTime(ms: number): string {
  return shortDateTime.format(ms);
}
