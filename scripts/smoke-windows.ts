// `npm run smoke:windows`: proves on a real Windows machine that Portcullis' WFP code blocks, reports and allows real
// connections. Runs the same native/ and core code as the app: open the engine, subscribe, block curl.exe, see the
// drop attributed to our filter and reported outbound, replace the block by an allow, see curl connect; block and
// allow an inbound connection to a local port and see the drop reported inbound; and check that our permit does not
// override a block of Windows Defender Firewall's own. Our filters live in a dynamic session: if the run is killed,
// Windows removes them with the session. Only the engine options (machine-wide) need a non-dynamic session; they are
// restored at the end. `-- --simulator` walks the same steps against the simulator library.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import {
  createFilterManager,
  enableEventCollection,
  loadSimControl,
  loadWfp,
  subscribe,
  WfpEngine,
  type AppFilterSpec,
  type EventCollection,
  type NetEvent,
  type NetEventSubscription,
  type WfpLibrary,
} from '../native/index';
import { FilterAttribution } from '../electron/core/pipeline/attribution';
import { checkIdentitySources } from './smoke/identity';
import { runShellChecks } from './smoke/shell-checks';

const simulator = process.argv.includes('--simulator');
const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
const CURL = join(systemRoot, 'System32', 'curl.exe').replaceAll('/', '\\');
const NETSH = join(systemRoot, 'System32', 'netsh.exe').replaceAll('/', '\\');
// The listener of the inbound check: this node.exe (a Windows path in the simulator, whose drives are Windows').
const NODE = simulator ? 'C:\\Program Files\\nodejs\\node.exe' : process.execPath;
const URL = 'https://example.com/';
const EVENT_WAIT_MS = 20_000;
// The simulator's baseline has a Windows Defender Firewall block for this program; on Windows the test adds one.
const SIM_FIREWALLED = 'C:\\Apps\\tool.exe';
const FIREWALL_RULE = 'Portcullis smoke test: Windows Firewall block of curl.exe';

if (process.platform !== 'win32' && !simulator) {
  console.error(
    `npm run smoke:windows tests the real Windows Filtering Platform, so it runs only on Windows, from a terminal ` +
      `opened as administrator; this is ${process.platform}, so nothing was done ` +
      '(`npm run smoke:windows -- --simulator` walks the same steps against the simulator).',
  );
  process.exit(2);
}

class StepFailed extends Error {}

let stepNumber = 0;
const TOTAL_STEPS = 20;

async function step<T>(title: string, work: () => Promise<T> | T, result?: (value: T) => string): Promise<T> {
  stepNumber += 1;
  const label = `[${String(stepNumber).padStart(2)}/${TOTAL_STEPS}] ${title}`;
  try {
    const value = await work();
    console.log(`${label}: ok${result ? ` - ${result(value)}` : ''}`);
    return value;
  } catch (error) {
    console.log(`${label}: FAILED`);
    console.log(`        ${error instanceof Error ? error.message : String(error)}`);
    throw new StepFailed(title);
  }
}

interface ConnectResult {
  readonly connected: boolean;
  readonly detail: string;
}

function curl(args: string[]): ConnectResult {
  const run = spawnSync(
    CURL,
    ['--silent', '--show-error', '--output', 'NUL', '--write-out', '%{http_code}', '--max-time', '15', ...args],
    {
      encoding: 'utf8',
      windowsHide: true,
    },
  );
  if (run.error) return { connected: false, detail: `curl.exe could not start: ${run.error.message}` };
  const status = run.stdout.trim();
  if (run.status === 0 && /^[1-5]\d\d$/.test(status)) return { connected: true, detail: `HTTP ${status}` };
  return {
    connected: false,
    detail: `curl exit code ${run.status}: ${run.stderr.trim() || `HTTP ${status || 'none'}`}`,
  };
}

/** One outbound HTTPS attempt by `app` (curl.exe on Windows): real on Windows, sim_connect in the simulator. */
function connectOut(lib: WfpLibrary, app = CURL): ConnectResult {
  if (simulator) {
    const verdict = loadSimControl(lib).connect({
      appPath: app,
      remoteAddress: '93.184.215.14',
      remotePort: 443,
      protocol: 6,
      direction: 'out',
      localAddress: '192.168.1.10',
      localPort: 50123,
    });
    return {
      connected: verdict.action === 'permit',
      detail: `simulated connection ${verdict.action === 'permit' ? 'permitted' : 'blocked'} by filter ${verdict.filterId}`,
    };
  }
  const result = curl([URL]);
  return result.connected ? { ...result, detail: `${result.detail} from ${URL}` } : result;
}

/** One inbound TCP connection to our own listener (node.exe) on `port`: curl to 127.0.0.1 on Windows. */
function connectIn(lib: WfpLibrary, port: number): ConnectResult {
  if (simulator) {
    const verdict = loadSimControl(lib).connect({
      appPath: NODE,
      direction: 'in',
      protocol: 6,
      // From this machine, as curl does on Windows.
      localAddress: '127.0.0.1',
      localPort: port,
      remoteAddress: '127.0.0.1',
      remotePort: 49800,
    });
    return {
      connected: verdict.action === 'permit',
      detail: `simulated connection ${verdict.action === 'permit' ? 'permitted' : 'blocked'} by filter ${verdict.filterId}`,
    };
  }
  const result = curl([`http://127.0.0.1:${port}/`]);
  return result.connected ? { ...result, detail: `${result.detail} from 127.0.0.1:${port}` } : result;
}

function netsh(args: string[]): void {
  const run = spawnSync(NETSH, ['advfirewall', 'firewall', ...args], { encoding: 'utf8', windowsHide: true });
  if (run.status !== 0) throw new Error(`netsh ${args.join(' ')} failed: ${(run.stdout + run.stderr).trim()}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + EVENT_WAIT_MS;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${EVENT_WAIT_MS / 1000} s`);
    await sleep(100);
  }
}

const sameApp = (e: NetEvent, path: string) =>
  e.appPath?.toLowerCase() === path.toLowerCase() ||
  e.appId?.toLowerCase().endsWith(`\\${path.split('\\').pop()!.toLowerCase()}`) === true;

function spec(
  appPath: string,
  action: AppFilterSpec['action'],
  direction: 'in' | 'out',
  extra: Partial<AppFilterSpec> = {},
): AppFilterSpec {
  const where = extra.localPort !== undefined ? ` on local port ${String(extra.localPort)}` : '';
  return {
    appPath,
    action,
    direction,
    weight: 10,
    name: `Portcullis smoke test: ${action} ${direction === 'in' ? 'inbound to ' : ''}${appPath.split('\\').pop()}${where}${extra.hard ? ' (overrides Windows Firewall)' : ''}`,
    description: 'Added by npm run smoke:windows in a dynamic session; gone when the session closes.',
    ...extra,
  };
}

async function main(): Promise<number> {
  const events: NetEvent[] = [];
  let lib: WfpLibrary | undefined;
  let optionsSession: WfpEngine | undefined;
  let session: WfpEngine | undefined;
  let collection: EventCollection | undefined;
  let subscription: NetEventSubscription | undefined;
  let listener: Server | undefined;
  let firewallRuleAdded = false;
  let failed = false;

  try {
    lib = await step(
      'Load the filtering library',
      () => {
        const loaded = loadWfp();
        if (!simulator && loaded.backend !== 'wfp') {
          throw new Error(`loaded ${loaded.path} (the simulator): unset PORTCULLIS_SIM_LIB to test the real WFP.`);
        }
        if (!simulator && !existsSync(CURL))
          throw new Error(`${CURL} is missing (it ships with Windows 10 1803 and later).`);
        return loaded;
      },
      (l) => `${l.backend} (${l.path})`,
    );
    const library = lib;

    // The same open as the app's: a process that is not elevated gets the app's sentence here.
    optionsSession = await step('Open a session for the engine options (they need a non-dynamic one)', () =>
      WfpEngine.open(library, { dynamic: false, name: 'Portcullis smoke test (options)' }),
    );
    const options = optionsSession;
    collection = await step(
      'Turn on net event collection',
      () => enableEventCollection(options, { allowEvents: true }),
      (c) =>
        c.changed.collectionEnabled || c.changed.keywordsAdded
          ? `changed (collection ${c.changed.collectionEnabled ? 'switched on' : 'was on'}, keywords added 0x${c.changed.keywordsAdded.toString(16)}); restored at the end`
          : 'already on',
    );

    session = await step('Open a dynamic session for our filters (nothing survives a killed run)', () =>
      WfpEngine.open(library, { dynamic: true, name: 'Portcullis smoke test' }),
    );
    const dynamic = session;
    subscription = await step(
      'Subscribe to net events',
      () => subscribe(dynamic, { onEvent: (e) => void events.push(e) }),
      (s) => `${s.stats.subscribeFunction}, FWPM_NET_EVENT${s.stats.version}`,
    );

    const manager = createFilterManager(dynamic);
    const attribution = new FilterAttribution(
      (id) => manager.filterInfo(id),
      () => undefined,
    );
    await step('Create our provider and sublayer in the dynamic session', () => manager.ensureProviderAndSublayer());

    // ---- outbound: block, see it reported, allow ----
    const blockIds = await step(
      `Add our outbound block for ${CURL}`,
      async () => (await manager.apply({ add: [spec(CURL, 'block', 'out')], remove: [] })).added.flat(),
      (ids) => `filter ids ${ids.join(', ')}`,
    );
    let since = Date.now() - 1000;
    await step(
      `Run curl ${URL} (expect it to be blocked)`,
      () => {
        const result = connectOut(library);
        if (result.connected) throw new Error(`curl connected although our block filter is in place: ${result.detail}`);
        return result;
      },
      (r) => r.detail,
    );
    const outFrom = since;
    await step(
      'Receive the drop: our filter, outbound, at the connect layer',
      async () => {
        const drop = await waitFor(
          () =>
            events.find(
              (e) => e.type === 'drop' && e.time >= outFrom && sameApp(e, CURL) && blockIds.includes(e.filterId ?? -1),
            ),
          `drop event for curl.exe from filter ${blockIds.join('/')}`,
        );
        const who = attribution.of(drop.filterId);
        if (who.blockedBy !== 'portcullis')
          throw new Error(`filter ${drop.filterId} was attributed to ${who.blockedBy}, not to Portcullis`);
        if (drop.direction !== 'out' || drop.layer !== 'connect')
          throw new Error(
            `reported as ${drop.direction ?? 'no direction'} at layer ${drop.layer ?? drop.layerId}, expected out at connect`,
          );
        return { drop, who };
      },
      ({ drop, who }) =>
        `${drop.remoteAddress ?? '?'}:${drop.remotePort ?? '?'} dropped by "${who.filterName ?? drop.filterId}", ${drop.direction}`,
    );
    await step(
      'Replace the block by an allow, in one transaction',
      async () => (await manager.apply({ add: [spec(CURL, 'permit', 'out')], remove: blockIds })).added.flat(),
      (ids) => `filter ids ${ids.join(', ')}`,
    );
    await step(
      `Run curl ${URL} (expect it to connect)`,
      () => {
        const result = connectOut(library);
        if (!result.connected) throw new Error(`curl did not connect with our allow filter in place: ${result.detail}`);
        return result;
      },
      (r) => r.detail,
    );

    // ---- inbound to a local port: block, see it reported inbound, allow ----
    const port = await step(
      'Listen on a local TCP port (this node.exe)',
      async () => {
        if (simulator) return 8089;
        const server = createServer((socket) => socket.end('HTTP/1.0 204 No Content\r\n\r\n'));
        listener = server;
        await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
        return (server.address() as { port: number }).port;
      },
      (p) => `port ${p}`,
    );
    const inBlock = await step(
      `Add our inbound block for ${NODE} on local port ${port}`,
      async () =>
        (await manager.apply({ add: [spec(NODE, 'block', 'in', { localPort: port })], remove: [] })).added.flat(),
      (ids) => `filter ids ${ids.join(', ')}`,
    );
    since = Date.now() - 1000;
    const inFrom = since;
    await step(
      `Connect to port ${port} (expect it to be blocked)`,
      () => {
        const result = connectIn(library, port);
        if (result.connected) throw new Error(`the inbound connection got through our block: ${result.detail}`);
        return result;
      },
      (r) => r.detail,
    );
    await step(
      'Receive the inbound drop: our filter, reported inbound (receive/accept layer)',
      async () => {
        const drop = await waitFor(
          () =>
            events.find(
              (e) => e.type === 'drop' && e.time >= inFrom && sameApp(e, NODE) && inBlock.includes(e.filterId ?? -1),
            ),
          `drop event for node.exe from filter ${inBlock.join('/')}`,
        );
        if (drop.direction !== 'in')
          throw new Error(
            `reported as ${drop.direction ?? 'no direction'} (layer ${drop.layer ?? drop.layerId}); an inbound drop must read "in"`,
          );
        return drop;
      },
      (d) => `local port ${d.localPort ?? '?'}, layer ${d.layer ?? d.layerId}, direction ${d.direction}`,
    );
    await step(
      `Replace the inbound block by an allow on port ${port}; connect`,
      async () => {
        const allow = (
          await manager.apply({ add: [spec(NODE, 'permit', 'in', { localPort: port })], remove: inBlock })
        ).added.flat();
        const mark = events.length;
        const result = connectIn(library, port);
        if (result.connected) return result.detail;
        // Our permit is soft: where Windows Firewall blocks this inbound connection (its default for programs
        // without a rule), it must stay blocked, and only a rule that overrides Windows Firewall gets through.
        const drop = await waitFor(
          () => events.slice(mark).find((e) => e.type === 'drop' && sameApp(e, NODE)),
          `drop event for node.exe after our allow`,
        );
        const who = attribution.of(drop.filterId);
        if (who.blockedBy !== 'windows-firewall')
          throw new Error(
            `the inbound connection did not get through with our allow: ${result.detail} (${who.blockedBy})`,
          );
        await manager.apply({ add: [spec(NODE, 'permit', 'in', { localPort: port, hard: true })], remove: allow });
        const forced = connectIn(library, port);
        if (!forced.connected)
          throw new Error(`not even a permit that overrides Windows Firewall got through: ${forced.detail}`);
        return `Windows Firewall blocks it ("${who.filterName ?? drop.filterId}") and our plain allow left that in place; with "override Windows Firewall": ${forced.detail}`;
      },
      (detail) => detail,
    );

    // ---- our permit does not override Windows Firewall's block ----
    const firewalled = simulator ? SIM_FIREWALLED : CURL;
    await step(
      `A Windows Defender Firewall block for ${firewalled}`,
      () => {
        if (simulator) return 'the simulator baseline blocks it';
        netsh(['add', 'rule', `name=${FIREWALL_RULE}`, 'dir=out', 'action=block', `program=${CURL}`, 'enable=yes']);
        firewallRuleAdded = true;
        return 'added with netsh advfirewall';
      },
      (r) => r,
    );
    await step(
      `With our permit for ${firewalled} too, it is still blocked, by Windows Firewall`,
      async () => {
        if (simulator) await manager.apply({ add: [spec(firewalled, 'permit', 'out')], remove: [] });
        const mark = events.length;
        const result = connectOut(library, firewalled);
        if (result.connected)
          throw new Error(
            `our permit overrode Windows Firewall's block (${result.detail}); permits must not silently remove another's protection`,
          );
        const drop = await waitFor(
          () => events.slice(mark).find((e) => e.type === 'drop' && sameApp(e, firewalled)),
          `drop event for ${firewalled}`,
        );
        const who = attribution.of(drop.filterId);
        if (who.blockedBy !== 'windows-firewall')
          throw new Error(
            `the drop was attributed to ${who.blockedBy} ("${who.filterName ?? drop.filterId}"), not to Windows Firewall`,
          );
        return who;
      },
      (who) => `blocked by "${who.filterName ?? '?'}"`,
    );
  } catch (error) {
    failed = true;
    if (!(error instanceof StepFailed))
      console.log(`Unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    stepNumber = TOTAL_STEPS - 2;
    const cleanup = async (title: string, work: () => Promise<unknown>, result?: (v: unknown) => string) => {
      try {
        await step(title, work, result);
      } catch {
        failed = true;
      }
    };
    await cleanup(
      'Close the dynamic session (Windows removes our filters with it); check none is left',
      async () => {
        listener?.close();
        if (firewallRuleAdded) netsh(['delete', 'rule', `name=${FIREWALL_RULE}`]);
        await subscription?.stop();
        await session?.close();
        if (!lib || !optionsSession) return 0;
        const left = (await createFilterManager(optionsSession).listOurs()).filter((f) =>
          f.name.startsWith('Portcullis smoke test'),
        );
        if (left.length > 0)
          throw new Error(`${left.length} smoke-test filters remain: ${left.map((f) => f.filterId).join(', ')}`);
        return 0;
      },
      () => 'no smoke-test filter remains',
    );
    await cleanup('Restore the engine options and close the options session', async () => {
      await collection?.restore();
      await optionsSession?.close();
    });
  }
  console.log(
    failed
      ? 'Smoke test FAILED.'
      : 'Smoke test passed: WFP blocked, reported and allowed real connections through Portcullis.',
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
// The installed app's own checks (manifest, PATH command, logon task); `-- --no-shell` skips them.
if (!simulator && !process.argv.includes('--no-shell') && !runShellChecks()) process.exitCode = 1;
// Who is connecting: curl.exe's publisher through its catalog signature, and a domain name from the DNS client with
// curl's process; `-- --no-identity` skips them.
if (!simulator && !process.argv.includes('--no-identity')) {
  for (const result of await checkIdentitySources()) {
    console.log(`[identity] ${result.name}: ${result.ok ? 'ok' : 'FAILED'} - ${result.detail}`);
    if (!result.ok) process.exitCode = 1;
  }
}
