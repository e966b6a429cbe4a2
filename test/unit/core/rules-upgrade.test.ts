// A data folder written before rules told the local port from the remote port loads without losing a rule, and
// every port ends up on the side of the connection it meant.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFile } from '../../../electron/core/persistence/json-file';
import { emptyRulesDocument, RuleStore } from '../../../electron/core/rules/rule-store';
import { rulesDocumentSchema } from '../../../electron/core/rules/schema';
import { planImport } from '../../../electron/core/rules/import-export';
import { planFilters } from '../../../electron/core/enforcement/filter-plan';
import { FWPM_CONDITION } from '../../../native/wfp/guids';
import { conditionsFor, validateSpec } from '../../../native/conditions';

const clock = { now: () => Date.UTC(2026, 0, 5) };
let next = 0;
const ids = () => `new-${next++}`;

const app = (name: string) => ({
  key: `path:c:\\apps\\${name}.exe`,
  kind: 'path',
  displayName: name,
  path: `C:\\Apps\\${name}.exe`,
});
const v1Rule = (id: string, extra: Record<string, unknown>) => ({
  id,
  app: app(id),
  action: 'allow',
  direction: 'out',
  duration: { kind: 'forever' },
  created: 1,
  source: 'user',
  ...extra,
});

const V1_RULES = [
  v1Rule('browser', { remotePort: 443, protocol: 6 }),
  v1Rule('server', { direction: 'in', remotePort: 8080, protocol: 6 }),
  v1Rule('game', { direction: 'in', remotePort: 51234, protocol: 17, source: 'prompt' }),
  v1Rule('share', { direction: 'both', remotePort: 445, protocol: 6, note: 'SMB' }),
  v1Rule('plain', { direction: 'in' }),
  v1Rule('blocked', { action: 'block', direction: 'both' }),
];

function storeIn(dir: string): RuleStore {
  const file = new JsonFile(join(dir, 'rules.json'), rulesDocumentSchema, emptyRulesDocument, clock);
  return new RuleStore(file, clock, ids);
}

/** The port conditions the filters of a rule carry, by condition name. */
function portConditions(store: RuleStore, id: string): string[] {
  const plan = planFilters('monitor', [store.require(id)], []);
  const spec = [...plan.values()][0]!;
  const list = conditionsFor(spec, undefined, validateSpec(spec)) as { fieldKey: { Data1: number } }[];
  const names = new Map(
    Object.entries(FWPM_CONDITION).map(([name, guid]) => [parseInt(guid.slice(0, 8), 16), name] as const),
  );
  return list.map((c) => names.get(c.fieldKey.Data1) ?? '?').filter((n) => n.endsWith('_PORT'));
}

describe('rules.json of version 1', () => {
  it('loads every rule, puts each port on its side, and writes version 2 back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-upgrade-'));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({ schemaVersion: 1, rules: V1_RULES, ignored: ['x'] }));
    const store = storeIn(dir);
    const loaded = store.load();
    expect(loaded.source).toBe('file');
    expect(loaded.problems).toEqual([]);
    // Nothing lost: six rules, plus the inbound half of the one that covered both directions.
    expect(
      store
        .all()
        .map((r) => r.id)
        .sort(),
    ).toEqual(['blocked', 'browser', 'game', 'plain', 'server', 'share', 'share:in'].sort());
    expect(store.isIgnored('x')).toBe(true);

    // Outbound: the port connected to, unchanged.
    expect(store.require('browser')).toMatchObject({ direction: 'out', remotePort: 443 });
    expect(portConditions(store, 'browser')).toEqual(['IP_REMOTE_PORT']);
    // Inbound, written by a person: the port the app listens on.
    const server = store.require('server');
    expect(server).toMatchObject({ direction: 'in', localPort: 8080, protocol: 6 });
    expect(server.remotePort).toBeUndefined();
    expect(server.note).toMatch(/listens on/);
    expect(portConditions(store, 'server')).toEqual(['IP_LOCAL_PORT']);
    // Inbound, made from a drop: the sender's ephemeral port; now the app on every local port, and it says so.
    const game = store.require('game');
    expect(game).toMatchObject({ direction: 'in', protocol: 17, source: 'prompt' });
    expect(game.remotePort).toBeUndefined();
    expect(game.localPort).toBeUndefined();
    expect(game.note).toMatch(/sender's own port.*every local port/);
    expect(portConditions(store, 'game')).toEqual([]);
    // Both directions: split into "to port 445" and "listening on port 445".
    expect(store.require('share')).toMatchObject({ direction: 'out', remotePort: 445, note: 'SMB' });
    expect(store.require('share:in')).toMatchObject({ direction: 'in', localPort: 445, app: app('share') });
    expect(store.require('share:in').note).toMatch(/^SMB Upgraded/);
    // No port: unchanged.
    expect(store.require('plain')).toEqual(V1_RULES[4]);
    expect(store.require('blocked')).toEqual(V1_RULES[5]);

    // The next save writes version 2; loading it again changes nothing.
    await store.setIgnored(['y'], true);
    const written = JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as { schemaVersion: number };
    expect(written.schemaVersion).toBe(2);
    const again = storeIn(dir);
    again.load();
    expect(again.all()).toEqual(store.all());
  });

  it('imports an export of version 1 the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-upgrade-'));
    const store = storeIn(dir);
    store.load();
    const plan = await planImport(JSON.stringify({ format: 'portcullis-rules', schemaVersion: 1, rules: V1_RULES }), {
      store,
      now: clock.now(),
    });
    expect(plan.preview.errors).toEqual([]);
    expect(plan.preview.added).toHaveLength(7);
    expect(plan.toWrite.find((r) => r.id === 'server')).toMatchObject({ direction: 'in', localPort: 8080 });
  });

  it('keeps a rule that claims to override Windows Firewall for a packaged app, without that claim', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-upgrade-'));
    const pkg = { key: 'package:S-1-15-2-1', kind: 'package', displayName: 'Notes', packageSid: 'S-1-15-2-1' };
    writeFileSync(
      join(dir, 'rules.json'),
      JSON.stringify({
        schemaVersion: 2,
        rules: [{ ...v1Rule('notes', {}), app: pkg, overridesWindowsFirewall: true }],
        ignored: [],
      }),
    );
    const store = storeIn(dir);
    expect(store.load().problems).toEqual([]);
    expect(store.require('notes').app.kind).toBe('package');
    expect(store.require('notes').overridesWindowsFirewall).toBeUndefined();
  });
});
