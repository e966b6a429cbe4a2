// One gate between a rule and a WFP filter. Every way in (editor, import, the prompt, the CLI, rules.json at load)
// asks the same question: can this rule become exactly the filter it claims to be? A "no" carries a sentence the
// user can act on. What can only be known at apply time (a drive that is gone, a package that was removed) is
// answered by the enforcer, which marks the rule "not enforced" instead of failing the transaction.
import { parseAddressOrPrefix } from '../../../native/decode/address';
import { encodeSid } from '../../../native/security-descriptor';
import type { AppIdentity, Rule } from '../model';
import { normalizePath } from '../apps/identity';
import { CoreError } from '../util/errors';
import { isNetworkOrDevicePath } from '../util/network-paths';

/** What the validator reads of a rule: its app, its conditions, nothing bookkeeping. */
export type RuleShape = Pick<Rule, 'app' | 'action' | 'direction'> &
  Partial<Pick<Rule, 'protocol' | 'localPort' | 'remotePort' | 'remoteAddress' | 'overridesWindowsFirewall'>>;

// Characters Windows refuses in file names (plus the colon outside "C:", which would name an alternate data stream).
// Source: Microsoft Learn, "Naming Files, Paths, and Namespaces".
const FORBIDDEN_IN_NAME = /[<>"|?*]/;
const DRIVE_PATH = /^[A-Za-z]:\\/;
// A package's app container SID: S-1-15-2- followed by seven sub-authorities (Microsoft Learn, "SID strings" and
// DeriveAppContainerSidFromAppContainerName); capability SIDs (S-1-15-3-...) are not packages.
const PACKAGE_SID = /^S-1-15-2(-\d{1,10}){7}$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const SERVICE_NAME = /^[^\\/\0-\x1f]{1,256}$/;

/**
 * Why a program path cannot be the application of a filter, or undefined when it can. Only an absolute path on a
 * drive letter is accepted: WFP matches the NT path of the image, and a UNC or device path would have to be opened
 * to be resolved (FwpmGetAppIdFromFileName0 opens the file), which for a network path means the elevated process
 * connecting to someone else's server with the administrator's credentials.
 */
export function programPathProblem(path: string | undefined): string | undefined {
  if (path === undefined || path.trim() === '') return 'the program path is empty';
  if (path.includes('\0')) return 'the program path contains a NUL character';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\x01-\x1f]/.test(path)) return 'the program path contains a control character';
  if (path.trim() === '*') return '"*" is not a program: an app rule needs the path of one executable';
  if (path.startsWith('\\\\?\\') || path.startsWith('\\\\.\\') || path.startsWith('\\??\\')) {
    return `${path.slice(0, 8)}… is a device or extended-length path: give the program's path as C:\\folder\\program.exe`;
  }
  if (isNetworkOrDevicePath(path)) {
    return 'programs on network shares (\\\\server\\share\\...) are not supported: copy the program to a local drive';
  }
  if (/^\\device\\/i.test(path)) return 'the path is a device path with no drive letter';
  if (!DRIVE_PATH.test(path.replace(/\//g, '\\'))) {
    return `"${path}" is not an absolute path: give the full path, such as C:\\Program Files\\App\\app.exe`;
  }
  const rest = path.slice(3);
  if (rest.includes(':')) return 'the program path names an alternate data stream (a ":" after the drive)';
  if (FORBIDDEN_IN_NAME.test(rest))
    return 'the program path contains a character Windows forbids in file names (<>"|?*)';
  if (rest.split(/[\\/]/).some((part) => part === '.' || part === '..')) {
    return 'the program path contains "." or ".." segments: give the path without them';
  }
  if (rest.trim() === '' || /[\\/]$/.test(path)) return 'the program path names a folder, not a program';
  return undefined;
}

function appProblem(app: AppIdentity): string | undefined {
  switch (app.kind) {
    case 'system':
      return app.key === 'system' ? undefined : `a System rule has the key "system", not "${app.key}"`;
    case 'package': {
      const sid = app.packageSid;
      if (sid === undefined || !PACKAGE_SID.test(sid.trim())) {
        return `"${sid ?? ''}" is not a package SID (S-1-15-2- followed by seven numbers)`;
      }
      const sidProblem = sidError(sid);
      if (sidProblem) return sidProblem;
      if (app.key !== `package:${sid.toUpperCase()}`) return keyMismatch(app, `package:${sid.toUpperCase()}`);
      return undefined;
    }
    case 'service': {
      const name = app.serviceName;
      if (name === undefined || !SERVICE_NAME.test(name) || name.trim() !== name || name === '*') {
        return `"${name ?? ''}" is not a service name`;
      }
      if (app.path !== undefined) {
        const pathProblem = programPathProblem(app.path);
        if (pathProblem) return `service host: ${pathProblem}`;
      }
      if (app.key !== `service:${name.toLowerCase()}`) return keyMismatch(app, `service:${name.toLowerCase()}`);
      return undefined;
    }
    case 'path':
    case 'svchost-unknown': {
      if (app.path === undefined && app.ntPath !== undefined) {
        return `${app.ntPath} is on a device without a drive letter, which a filter cannot name`;
      }
      const pathProblem = programPathProblem(app.path);
      if (pathProblem) return pathProblem;
      const expected = `path:${normalizePath(app.path as string).toLowerCase()}`;
      // An svchost row the Security log narrowed to the services sharing its process keeps them in its key.
      const shared =
        app.kind === 'svchost-unknown' && app.services ? `${expected}|services:${app.services.join(',')}` : undefined;
      if (app.key !== expected && app.key !== shared) return keyMismatch(app, expected);
      return undefined;
    }
    default:
      return `unknown kind of application "${String((app as { kind: unknown }).kind)}"`;
  }
}

function keyMismatch(app: AppIdentity, expected: string): string {
  return `the rule's key "${app.key}" does not match its program (expected "${expected}")`;
}

function sidError(sid: string): string | undefined {
  try {
    encodeSid(sid);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function portProblem(name: string, port: number | undefined): string | undefined {
  if (port === undefined) return undefined;
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? undefined : `${name} must be 1..65535, not ${port}`;
}

/** Why this rule cannot become its filter, or undefined when it can (as far as can be told without WFP). */
export function ruleProblem(rule: RuleShape): string | undefined {
  const app = appProblem(rule.app);
  if (app) return app;
  if (rule.action !== 'allow' && rule.action !== 'block') return `unknown action "${String(rule.action)}"`;
  if (!['out', 'in', 'both'].includes(rule.direction)) return `unknown direction "${String(rule.direction)}"`;
  if (rule.protocol !== undefined && !(Number.isInteger(rule.protocol) && rule.protocol >= 0 && rule.protocol <= 255)) {
    return `protocol must be 0..255, not ${rule.protocol}`;
  }
  if (rule.overridesWindowsFirewall) {
    if (rule.action !== 'allow') return 'only an allow rule can override Windows Firewall';
    if (rule.app.kind === 'package')
      return "a packaged app's rule cannot override Windows Firewall (it would lift app isolation)";
  }
  const port = portProblem('the remote port', rule.remotePort) ?? portProblem('the local port', rule.localPort);
  if (port) return port;
  if (rule.remoteAddress !== undefined) {
    if (rule.remoteAddress.includes('\0')) return 'the remote address contains a NUL character';
    try {
      parseAddressOrPrefix(rule.remoteAddress);
    } catch {
      return `"${rule.remoteAddress}" is not an IP address or prefix (such as 192.0.2.7, 10.0.0.0/8 or 2001:db8::/32)`;
    }
  }
  return undefined;
}

/** Throws the reason a rule is refused at input (editor, import, prompt, CLI). */
export function requireValidRule(rule: RuleShape): void {
  const problem = ruleProblem(rule);
  if (problem) {
    throw new CoreError('INVALID_ARGUMENT', `Rule for ${rule.app.displayName || rule.app.key} refused: ${problem}.`);
  }
}
