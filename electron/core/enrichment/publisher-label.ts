// What a code-signature check means to a person: a short label ("Google LLC, verified", "not signed", "signature does
// not match") and, where it matters, a risk: a program that claims a well-known name (chrome.exe) but is not signed
// by anyone Windows trusts, or runs from a folder any user can write (Downloads, %TEMP%, AppData), or that was
// changed after it was signed. Those are the places malware puts look-alike programs.
import type { AppPublisher } from '../model';
import { wellKnownName } from './friendly-name';

/** WinVerifyTrust's verdict as native/wintrust reports it. */
export interface SignatureCheck {
  readonly verdict: 'signed' | 'unsigned' | 'bad-digest' | 'untrusted' | 'unreadable';
  readonly symbol: string;
  readonly signer?: string;
}

/** The user-writable folder a path lies in ("Downloads", "Temp", "AppData", "Public"), if any. */
export function userWritableFolder(path: string): string | undefined {
  const p = path.toLowerCase().replace(/\//g, '\\');
  if (/\\users\\[^\\]+\\downloads\\/.test(p)) return 'Downloads';
  if (/\\appdata\\local\\temp\\/.test(p) || /^[a-z]:\\windows\\temp\\/.test(p) || /^[a-z]:\\temp\\/.test(p))
    return 'Temp';
  if (/\\users\\[^\\]+\\appdata\\/.test(p)) return 'AppData';
  if (/\\users\\public\\/.test(p)) return 'Public';
  return undefined;
}

function label(check: SignatureCheck): { status: AppPublisher['status']; label: string } {
  switch (check.verdict) {
    case 'signed':
      return { status: 'verified', label: check.signer ? `${check.signer}, verified` : 'signed, verified' };
    case 'unsigned':
      return { status: 'unsigned', label: 'not signed' };
    case 'bad-digest':
      return { status: 'bad-signature', label: 'signature does not match' };
    case 'untrusted':
      return {
        status: 'untrusted',
        label: `${check.signer ?? 'signed'}, not trusted by Windows (${check.symbol})`,
      };
    case 'unreadable':
      return { status: 'unreadable', label: `signature not checked (${check.symbol})` };
  }
}

export function describePublisher(path: string, check: SignatureCheck): AppPublisher {
  const { status, label: text } = label(check);
  const known = wellKnownName(path);
  const folder = userWritableFolder(path);
  let risk: string | undefined;
  if (status === 'bad-signature') risk = 'The file was changed after it was signed.';
  else if (known && status !== 'verified' && status !== 'unreadable')
    risk = `Calls itself ${known} but is ${status === 'unsigned' ? 'not signed' : 'not signed by anyone Windows trusts'}.`;
  else if (known && folder) risk = `Calls itself ${known} but runs from ${folder}, a folder any user can write.`;
  return { status, label: text, ...(check.signer ? { signer: check.signer } : {}), ...(risk ? { risk } : {}) };
}
