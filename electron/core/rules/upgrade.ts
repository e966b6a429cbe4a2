// Version 1 rules had one port, `remotePort`, put on every layer as WFP's IP_REMOTE_PORT. On the inbound layers
// (ALE_AUTH_RECV_ACCEPT) that condition is the sender's source port, chosen by the sender: a rule "inbound, port
// 8080" matched packets sent FROM port 8080, and a rule made from an inbound drop held the peer's ephemeral port
// and never matched again. Version 2 has `localPort` for the port on this computer. The upgrade keeps every rule:
//   out  + remotePort                 unchanged (the port the app connects to).
//   in   + remotePort, written by a person (user, import, essential): the port they meant is the app's own
//        listening port -> localPort, with a note.
//   in   + remotePort, made from a drop (prompt, learning): the peer's source port; no local port was recorded, so
//        the rule covers the app on every port, with a note saying so.
//   both + remotePort: split. The rule itself becomes `out` with the remote port; a twin `<id>:in` gets the
//        inbound half as above.
// Pure functions over the raw JSON, run before validation, so an upgrade can never be the reason a store is lost.

type Raw = Record<string, unknown>;

const MAX_NOTE = 1000;
const MAX_ID = 128;
const IN_SUFFIX = ':in';

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withNote(rule: Raw, text: string): string {
  const before = typeof rule.note === 'string' && rule.note.length > 0 ? `${rule.note} ` : '';
  return `${before}${text}`.slice(0, MAX_NOTE);
}

function madeFromDrop(rule: Raw): boolean {
  return rule.source === 'prompt' || rule.source === 'learning';
}

/** The inbound half of a version 1 rule with a port. */
function inboundOf(rule: Raw, port: number): Raw {
  const { remotePort: _dropped, ...rest } = rule;
  if (madeFromDrop(rule)) {
    return {
      ...rest,
      direction: 'in',
      note: withNote(
        rule,
        `Upgraded: this rule named port ${port}, the sender's own port, which changes with every connection; it now covers the app on every local port. Edit it to name the port the app listens on.`,
      ),
    };
  }
  return {
    ...rest,
    direction: 'in',
    localPort: port,
    note: withNote(rule, `Upgraded: port ${port} is the port this app listens on.`),
  };
}

/** One version 1 rule -> the version 2 rules that mean what it was meant to mean (one, or two for "both"). */
export function upgradeRuleV1(rule: unknown): unknown[] {
  if (!isObject(rule)) return [rule];
  const port = rule.remotePort;
  if (typeof port !== 'number' || rule.direction === 'out') return [rule];
  if (rule.direction === 'in') return [inboundOf(rule, port)];
  if (rule.direction !== 'both') return [rule];
  const id = typeof rule.id === 'string' ? rule.id : '';
  const twinId = `${id.slice(0, MAX_ID - IN_SUFFIX.length)}${IN_SUFFIX}`;
  return [
    { ...rule, direction: 'out' },
    { ...inboundOf(rule, port), id: twinId },
  ];
}

/** rules.json of version 1 -> version 2; anything else is returned as it is (validation judges it). */
export function upgradeRulesDocument(raw: unknown): unknown {
  if (!isObject(raw) || raw.schemaVersion !== 1 || !Array.isArray(raw.rules)) return raw;
  return { ...raw, schemaVersion: 2, rules: raw.rules.flatMap(upgradeRuleV1) };
}
