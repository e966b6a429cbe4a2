// Run as a separate process (the app or the `portcullis` command): adds and removes rules and changes one settings
// field on a shared data folder as fast as it can, printing one line per change the moment its save returned (an
// acknowledged change). The parent checks that every acknowledged change is on disk at the end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFile } from '../../../../electron/core/persistence/json-file';
import { emptyRulesDocument, RuleStore } from '../../../../electron/core/rules/rule-store';
import { rulesDocumentSchema } from '../../../../electron/core/rules/schema';
import { defaultSettings, settingsSchema } from '../../../../electron/core/settings/schema';
import { SettingsStore } from '../../../../electron/core/settings/settings-store';

const [dir, role, roundsText] = process.argv.slice(2);
if (!dir || !role || !roundsText) throw new Error('usage: concurrent-saver <dir> <role> <rounds>');
const clock = { now: () => Date.now() };
let n = 0;
const rules = new RuleStore(
  new JsonFile(join(dir, 'rules.json'), rulesDocumentSchema, emptyRulesDocument, clock),
  clock,
  () => `${role}-${++n}`,
);
const settings = new SettingsStore(
  new JsonFile(join(dir, 'settings.json'), settingsSchema, defaultSettings, clock),
  (s) => s,
);
rules.load();
let current = settings.load().value;

// Both processes start together, so that their saves overlap.
while (!existsSync(join(dir, 'go'))) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);

const added: string[] = [];
for (let i = 0; i < Number(roundsText); i++) {
  const path = `C:\\${role}\\app${i}.exe`;
  const { rules: made } = await rules.add([
    {
      app: { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: `app${i}`, path },
      action: 'allow',
      direction: 'out',
      duration: { kind: 'forever' },
      source: 'user',
    },
  ]);
  added.push(made[0]!.id);
  process.stdout.write(`add ${made[0]!.id}\n`);
  if (i % 3 === 2) {
    const gone = added.splice(added.length - 2, 1)[0]!;
    await rules.remove([gone]);
    process.stdout.write(`remove ${gone}\n`);
  }
  // Each process owns one settings field; the other's value must survive every save.
  const patch = role === 'app' ? { activityLogSize: 1000 + i } : { batchIntervalMs: 100 + i };
  current = settings.save({ ...current, ...patch }).saved;
  process.stdout.write(`setting ${JSON.stringify(patch)}\n`);
}
