// A store holding a rule WFP cannot take (its USB drive is gone, or an older version saved a UNC path) starts,
// reports the rule, and lets `portcullis rules remove` and `portcullis mode` work: before, the whole transaction
// failed, the start failed in reconcile, and only `reset` helped.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../electron/core/model';
import { cliInProcess } from './core/cli';
import { enumerateOurs, outbound, useCoreOnSimulator } from './core/support';

const { sim, startCore } = useCoreOnSimulator();

function rule(id: string, path: string): Rule {
  return {
    id,
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: id, path },
    action: 'allow',
    direction: 'out',
    duration: { kind: 'forever' },
    created: 1,
    source: 'user',
  };
}

describe('a store with one unappliable rule', () => {
  it('starts, reports it, enforces the others, and lets the CLI change the mode and remove it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-unappliable-'));
    const rules = [
      // tool.exe is blocked by the baseline's Windows Firewall rule: the allow overrides it on purpose.
      { ...rule('tool', 'C:\\Apps\\tool.exe'), overridesWindowsFirewall: true },
      rule('usb', 'F:\\portable\\app.exe'),
      rule('share', '\\\\srv\\s\\x.exe'),
    ];
    writeFileSync(join(dataDir, 'rules.json'), JSON.stringify({ schemaVersion: 1, rules, ignored: [] }));

    const running = await startCore(dataDir);
    const shown = running.core.snapshot().rules;
    expect(shown.find((r) => r.id === 'usb')?.notEnforced).toMatch(/drive F: is not present/);
    expect(shown.find((r) => r.id === 'share')?.notEnforced).toMatch(/network shares/);
    expect(shown.find((r) => r.id === 'tool')?.notEnforced).toBeUndefined();
    expect(running.core.status().notices.some((n) => /2 rules are kept but not enforced/.test(n.message))).toBe(true);
    expect((await enumerateOurs()).filters.length).toBe(2); // tool.exe on the two outbound layers
    await running.core.stop();

    expect(await cliInProcess(['mode', 'enforce'], dataDir)).toMatchObject({ code: 0, out: 'enforce\n' });
    expect(sim.connect(outbound('C:\\Apps\\tool.exe')).action).toBe('permit');
    const removed = await cliInProcess(['rules', 'remove', 'usb', 'share'], dataDir);
    expect(removed.code).toBe(0);
    const list = await cliInProcess(['rules', 'list', '--json'], dataDir);
    expect(JSON.parse(list.out).map((r: Rule) => r.id)).toEqual(['tool']);
  });
});
