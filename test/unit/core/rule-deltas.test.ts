// Rules reach the window in batches of bounded size: an import of thousands of rules goes out over several delta
// batches (each built and serialized in a few milliseconds), none lost, instead of one batch of megabytes.
import { describe, expect, it } from 'vitest';
import { RULES_PER_BATCH } from '../../../electron/core/facade/publisher';
import type { Rule } from '../../../electron/core/model';
import { exportRules } from '../../../electron/core/rules/import-export';
import { settle, startCore } from './support/core-harness';
import { storedRule } from './support/rule-fixtures';

const rules = (count: number): Rule[] => Array.from({ length: count }, (_, i) => storedRule(i));

describe('rules in delta batches', () => {
  it(`sends an import of 2,500 rules over batches of at most ${RULES_PER_BATCH}, every rule once`, async () => {
    const h = await startCore();
    const json = exportRules(rules(2_500), 1);
    const preview = await h.core.handlers['rules.previewImport']({ json });
    const done = await h.core.handlers['rules.import']({ json, token: preview.token });
    expect(done.imported).toBe(2_500);
    h.deltas.length = 0;
    const sent = new Set<string>();
    for (let i = 0; i < 20; i++) {
      h.time.advance(1_000);
      await settle();
    }
    const carrying = h.deltas.filter((d) => d.rules?.length);
    for (const d of carrying) {
      expect(d.rules!.length).toBeLessThanOrEqual(RULES_PER_BATCH);
      for (const r of d.rules!) sent.add(r.id);
    }
    expect(carrying.length).toBeGreaterThanOrEqual(3);
    expect(sent.size).toBe(2_500);
  });
});
