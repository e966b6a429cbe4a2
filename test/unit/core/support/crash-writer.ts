// Run as a separate process: saves a rules document and dies (SIGKILL) after the temporary file is flushed and
// before it is renamed over rules.json, as a power cut or a killed process would.
import { join } from 'node:path';
import { JsonFile } from '../../../../electron/core/persistence/json-file';
import { rulesDocumentSchema, type RulesDocument } from '../../../../electron/core/rules/schema';
import { emptyRulesDocument } from '../../../../electron/core/rules/rule-store';

const [dir, payload] = process.argv.slice(2);
if (!dir || !payload) throw new Error('usage: crash-writer <dir> <json-document>');
const file = new JsonFile<RulesDocument>(
  join(dir, 'rules.json'),
  rulesDocumentSchema,
  emptyRulesDocument,
  {
    now: () => Date.now(),
  },
  {
    beforeRename: () => {
      process.kill(process.pid, 'SIGKILL');
    },
  },
);
file.load();
file.save(JSON.parse(payload) as RulesDocument);
