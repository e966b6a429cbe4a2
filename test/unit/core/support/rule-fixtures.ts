// Rule stores on a temporary folder and plain stored rules, shared by the store tests.
import { join } from 'node:path';
import type { Rule } from '../../../../electron/core/model';
import { JsonFile, type JsonFileHooks } from '../../../../electron/core/persistence/json-file';
import { emptyRulesDocument, RuleStore } from '../../../../electron/core/rules/rule-store';
import { rulesDocumentSchema } from '../../../../electron/core/rules/schema';

export const fixedClock = { now: () => 1_700_000_000_000 };

/** A loaded rule store on `dir`/rules.json, with ids r1, r2, ... */
export function ruleStoreIn(dir: string, hooks: JsonFileHooks = {}): RuleStore {
  let n = 0;
  const s = new RuleStore(
    new JsonFile(join(dir, 'rules.json'), rulesDocumentSchema, emptyRulesDocument, fixedClock, hooks),
    fixedClock,
    () => `r${++n}`,
  );
  s.load();
  return s;
}

/** An app-wide outbound allow for C:\Apps\app<i>.exe, id r<i>, as it is stored. */
export function storedRule(i: number): Rule {
  const path = `C:\\Apps\\app${i}.exe`;
  return {
    id: `r${i}`,
    app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: `app${i}`, path },
    action: 'allow',
    direction: 'out',
    duration: { kind: 'forever' },
    created: 1,
    source: 'user',
  };
}
