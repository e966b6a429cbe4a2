// The identity behind an app key, for a command that names an app only by its key (allow, block, a new rule, the
// name in an undo label): the one core has seen wherever it was seen, else the one the key itself spells out.
import type { AppIdentity } from '../model';
import { identityFromPath, SYSTEM_IDENTITY } from '../apps/identity';
import { CoreError } from '../util/errors';
import type { CoreState } from './core';

/** The identity an app key stands for: as seen in events, decisions, candidates or rules, or built from the key. */
export function identityForKey(core: CoreState, key: string): AppIdentity {
  const known =
    core.index.get(key)?.identity ??
    decisionApp(core, key) ??
    core.candidates.get(key)?.app ??
    core.rules.forApp(key)[0]?.app;
  if (known) return known;
  if (key === 'system') return SYSTEM_IDENTITY;
  if (key.startsWith('path:')) return identityFromPath(key.slice(5));
  if (key.startsWith('service:')) return core.identities.serviceIdentity(key.slice(8));
  throw new CoreError('NOT_FOUND', `Unknown application ${key}: it has not been seen since Portcullis started.`);
}

function decisionApp(core: CoreState, key: string): AppIdentity | undefined {
  const id = core.decisions.forApp(key);
  return id === undefined ? undefined : core.decisions.get(id)?.app;
}
