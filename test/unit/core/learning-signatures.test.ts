// Learning leaves out of "Commit all" what its code signature says deserves a look: an unsigned program, one changed
// after it was signed, one that calls itself a well-known app without being it.
import { describe, expect, it } from 'vitest';
import { describePublisher } from '../../../electron/core/enrichment/publisher-label';
import { identityFromPath } from '../../../electron/core/apps/identity';
import { LearningCandidates } from '../../../electron/core/learning/candidates';
import type { AppPublisher } from '../../../electron/core/model';

const SIGNED = 'C:\\Program Files\\Contoso\\sync.exe';
const UNSIGNED = 'C:\\Program Files\\Tools\\probe.exe';
const CHANGED = 'C:\\Program Files\\Contoso\\editor.exe';
const NOT_YET = 'C:\\Program Files\\Contoso\\new.exe';

const publishers = new Map<string, AppPublisher>([
  [SIGNED, describePublisher(SIGNED, { verdict: 'signed', symbol: 'ERROR_SUCCESS', signer: 'Contoso Ltd' })],
  [UNSIGNED, describePublisher(UNSIGNED, { verdict: 'unsigned', symbol: 'TRUST_E_NOSIGNATURE' })],
  [CHANGED, describePublisher(CHANGED, { verdict: 'bad-digest', symbol: 'TRUST_E_BAD_DIGEST' })],
]);

describe('learning and code signatures', () => {
  it('marks unsigned and changed programs, and Commit all takes only the signed one and the one not checked yet', () => {
    const learning = new LearningCandidates(100, (path) => publishers.get(path));
    for (const path of [SIGNED, UNSIGNED, CHANGED, NOT_YET]) {
      learning.observe(identityFromPath(path), {
        time: 1,
        direction: 'out',
        remoteAddress: '203.0.113.5',
        remotePort: 443,
      });
    }
    const risks = Object.fromEntries(learning.all().map((c) => [c.app.path, c.risks]));
    expect(risks[SIGNED]).toEqual([]);
    expect(risks[UNSIGNED]).toEqual(['Not signed']);
    expect(risks[CHANGED]).toEqual(['The file was changed after it was signed.']);
    expect(risks[NOT_YET]).toEqual([]);
    expect(
      learning
        .take('all')
        .map((c) => c.app.path)
        .sort(),
    ).toEqual([NOT_YET, SIGNED].sort());
    expect(learning.take([identityFromPath(UNSIGNED).key]).map((c) => c.app.path)).toEqual([UNSIGNED]);
  });
});
