// The Windows data folder may be written by Administrators and SYSTEM only (see data-dir.ts for why). Portcullis
// creates it with a protected DACL in one call (CreateDirectoryW with the descriptor: no moment with the inherited,
// user-writable ACL of %ProgramData%), and refuses a folder it finds in any other state: owned by someone else
// (a standard user can create C:\ProgramData\Portcullis before the first run and keep write access to it through
// an entry of their own, or as its owner, who may always rewrite the DACL), with any other entry, or with a
// reparse point (junction, symbolic link) anywhere in it. The files inside are checked the same way.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FolderSecurityApi, PathSecurity } from '../../../native/windows/folder-security';
import { FILE_ATTRIBUTE_REPARSE_POINT } from '../../../native/windows/folder-security';

/** Owner Administrators; DACL protected (nothing inherited): full control for Administrators and SYSTEM only. */
export const DATA_FOLDER_SDDL = 'O:BAD:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)';

// Administrators and SYSTEM, as SDDL aliases and as SID strings (an SDDL string may use either).
const TRUSTED = new Set(['BA', 'SY', 'S-1-5-32-544', 'S-1-5-18']);

export class DataFolderError extends Error {
  override readonly name = 'DataFolderError';
}

export interface Ace {
  readonly type: string;
  readonly flags: string;
  readonly rights: string;
  readonly sid: string;
}

export interface ParsedDescriptor {
  readonly owner: string | undefined;
  /** The DACL's flags ("P" protected, "AI" auto-inherited...). */
  readonly daclFlags: string;
  readonly aces: readonly Ace[];
  /** "D:NO_ACCESS_CONTROL" or no DACL at all: everyone has every right. */
  readonly nullDacl: boolean;
}

/** Reads the owner and DACL parts of an SDDL string (Microsoft Learn, "Security Descriptor String Format"). */
export function parseSddl(sddl: string): ParsedDescriptor {
  const owner = /O:([A-Z]{2}|S-1-[0-9-]+)/.exec(sddl)?.[1];
  const dacl = /D:([A-Z_]*)((?:\([^)]*\))*)/.exec(sddl);
  if (!dacl) return { owner, daclFlags: '', aces: [], nullDacl: true };
  const aces = [...(dacl[2] ?? '').matchAll(/\(([^)]*)\)/g)].map((m) => {
    const [type = '', flags = '', rights = '', , , sid = ''] = (m[1] ?? '').split(';');
    return { type, flags, rights, sid };
  });
  return { owner, daclFlags: dacl[1] ?? '', aces, nullDacl: (dacl[1] ?? '').includes('NO_ACCESS_CONTROL') };
}

/**
 * What is wrong with one path's security, or undefined when only Administrators and SYSTEM can change it. `folder`
 * asks more of the data folder itself: a protected DACL, so that a change to %ProgramData%'s ACL never reaches it.
 */
export function securityProblem(security: PathSecurity, folder: boolean): string | undefined {
  if ((security.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) {
    return 'it is a reparse point (a junction or link to somewhere else)';
  }
  const sd = parseSddl(security.sddl);
  if (sd.owner === undefined || !TRUSTED.has(sd.owner)) {
    return `its owner is ${sd.owner ?? 'unknown'}, not Administrators (an owner can always change the permissions)`;
  }
  if (sd.nullDacl) return 'it has no access control list (everyone may change it)';
  if (folder && !sd.daclFlags.includes('P')) return 'it inherits permissions from its parent folder';
  for (const ace of sd.aces) {
    if (ace.type === 'D') continue; // a deny entry takes rights away, never grants any
    if (TRUSTED.has(ace.sid)) continue;
    return `it grants ${ace.rights || 'rights'} to ${ace.sid} (only Administrators and SYSTEM may change it)`;
  }
  return undefined;
}

function refuse(path: string, problem: string, dir: string): never {
  throw new DataFolderError(
    `Portcullis will not use ${dir}: ${path === dir ? 'the folder' : path} is not protected (${problem}). ` +
      'Another program may have prepared it to read or change your rules. As an administrator, move the folder ' +
      'away (keep rules.json if you want to import it later), then start Portcullis again: it creates a new, ' +
      'protected folder.',
  );
}

/**
 * Creates the data folder protected, or checks the one that exists (and everything inside it). Throws a
 * DataFolderError that says what to do when it cannot be trusted: rules read from a folder other programs can
 * write would let them decide what the firewall allows.
 */
export function secureDataFolder(dir: string, api: FolderSecurityApi): void {
  // The parent (%ProgramData%) must be a real folder: a junction there would move our data somewhere else.
  const parent = api.describe(dirname(dir));
  if (!parent) throw new DataFolderError(`${dirname(dir)} does not exist; Portcullis cannot keep its rules there.`);
  if ((parent.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) {
    refuse(dirname(dir), 'it is a reparse point (a junction or link to somewhere else)', dir);
  }
  if (api.createFolder(dir, DATA_FOLDER_SDDL)) return;
  const own = api.describe(dir);
  if (!own) throw new DataFolderError(`${dir} could not be created or read. Run Portcullis as administrator.`);
  const problem = securityProblem(own, true);
  if (problem) refuse(dir, problem, dir);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const security = api.describe(path);
    if (!security) continue; // removed meanwhile
    const inside = securityProblem(security, false);
    if (inside) refuse(path, inside, dir);
  }
}
