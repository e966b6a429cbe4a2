// Benchmark 6: rules on the real native layer (simulator). Adding 1, 100 and 1,000 rules at once ("allow these
// apps": rule store write + one WFP transaction), adding them one command at a time, and start-up reconciliation of
// 1,000 saved rules: cold (WFP has none of our filters, as after a reset) and warm (all present, as after a restart).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNativeBackend } from '../electron/core/backend/native';
import { createPortcullisCore, type PortcullisCore } from '../electron/core/index';
import { loadSimControl, loadWfp } from '../native/index';
import { enumerateOurFilters } from './lib/our-filters';
import { fmt, machineLoad, printTable, writeResult } from './lib/report';

const sim = loadSimControl(loadWfp());
const appKey = (batch: string, i: number) => `path:c:\\program files\\${batch}\\app ${i}\\app${i}.exe`;

async function startCore(dataDir: string): Promise<{ core: PortcullisCore; ms: number }> {
  const core = createPortcullisCore({ backend: createNativeBackend(), dataDir });
  const t0 = performance.now();
  await core.start({ subscribe: false });
  return { core, ms: performance.now() - t0 };
}

const rows: Array<Record<string, string>> = [];
const results: Record<string, unknown> = {};
const loadBefore = machineLoad();
sim.reset();
const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
let { core } = await startCore(dataDir);

for (const n of [1, 100, 1_000]) {
  const keys = Array.from({ length: n }, (_, i) => appKey(`batch-${n}`, i));
  const t0 = performance.now();
  const { rules } = await core.handlers['apps.decide']({ appKeys: keys, decision: 'allow', direction: 'out' });
  const ms = performance.now() - t0;
  if (rules.length !== n) throw new Error(`asked for ${n} rules, got ${rules.length}`);
  rows.push({
    operation: `add ${fmt(n)} rule(s) in one command`,
    'total ms': fmt(ms, 1),
    'ms per rule': fmt(ms / n, 2),
    'rules after': fmt(core.status().rules),
  });
  results[`addAtOnce${n}`] = { ms, perRuleMs: ms / n };
}
for (const n of [1, 100]) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await core.handlers['rules.create']({
      appKey: appKey(`one-by-one-${n}`, i),
      action: 'block',
      direction: 'out',
      duration: { kind: 'forever' },
    });
  }
  const ms = performance.now() - t0;
  rows.push({
    operation: `add ${fmt(n)} rule(s), one command each`,
    'total ms': fmt(ms, 1),
    'ms per rule': fmt(ms / n, 2),
    'rules after': fmt(core.status().rules),
  });
  results[`addOneByOne${n}`] = { ms, perRuleMs: ms / n };
}
await core.stop();

// Start-up reconciliation with exactly 1,000 rules saved: a fresh data folder holding only the batch of 1,000.
const dataDir1000 = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
sim.reset();
({ core } = await startCore(dataDir1000));
await core.handlers['apps.decide']({
  appKeys: Array.from({ length: 1_000 }, (_, i) => appKey('reconcile', i)),
  decision: 'allow',
  direction: 'out',
});
await core.stop();
const filtersWithRules = (await enumerateOurFilters()).length;

sim.reset(); // WFP loses every filter of ours, the rules file stays: start must add them all back
const cold = await startCore(dataDir1000);
const filtersAfterCold = (await enumerateOurFilters()).length;
await cold.core.stop();
const warm = await startCore(dataDir1000); // all present: enumerate, compare, change nothing
const filtersAfterWarm = (await enumerateOurFilters()).length;
await warm.core.stop();
if (filtersAfterCold !== filtersWithRules || filtersAfterWarm !== filtersWithRules) {
  throw new Error(`reconcile left ${filtersAfterCold}/${filtersAfterWarm} filters, expected ${filtersWithRules}`);
}
rows.push({
  operation: 'start with 1,000 rules, WFP empty (cold)',
  'total ms': fmt(cold.ms, 1),
  'ms per rule': fmt(cold.ms / 1000, 2),
  'rules after': '1,000',
});
rows.push({
  operation: 'start with 1,000 rules, WFP in sync (warm)',
  'total ms': fmt(warm.ms, 1),
  'ms per rule': fmt(warm.ms / 1000, 2),
  'rules after': '1,000',
});
const loadAfter = machineLoad();
rmSync(dataDir, { recursive: true, force: true });
rmSync(dataDir1000, { recursive: true, force: true });

printTable('6. Rules (native layer on the simulator; start = load rules, open WFP, reconcile)', rows);
console.log(
  `  1,000 rules = ${fmt(filtersWithRules)} WFP filters of ours (v4 + v6 each); reconcile at start ${
    Math.max(cold.ms, warm.ms) < 2000 ? 'met' : 'missed'
  } the 2 s target; load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`,
);
writeResult('6-rules', {
  ...results,
  reconcile1000: { coldMs: cold.ms, warmMs: warm.ms, filters: filtersWithRules },
  target: { reconcileBelowMs: 2000, met: Math.max(cold.ms, warm.ms) < 2000 },
  loadBefore,
  loadAfter,
});
