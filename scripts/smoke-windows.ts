// `npm run smoke:windows`: proves on a real Windows machine that Portcullis' WFP code blocks, reports and allows a
// real connection. Runs the same native/ and core code as the app: open the engine, subscribe, block curl.exe, see
// the drop attributed to our filter, replace the block by an allow, see curl connect, remove what we added.
// `-- --simulator` walks the same steps against the simulator library, with a simulated connection instead of curl.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  type FilterManager,
  type NetEvent,
  type NetEventSubscription,
  type WfpLibrary,
} from '../native/index';
import { FilterAttribution } from '../electron/core/pipeline/attribution';

const simulator = process.argv.includes('--simulator');
const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
const CURL = join(systemRoot, 'System32', 'curl.exe').replaceAll('/', '\\');
const URL = 'https://example.com/';
const EVENT_WAIT_MS = 20_000;

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
const TOTAL_STEPS = 12;

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

/** One outbound HTTPS attempt by curl.exe: real on Windows, sim_connect in the simulator. */
function connectOnce(lib: WfpLibrary): ConnectResult {
  if (simulator) {
    const verdict = loadSimControl(lib).connect({
      appPath: CURL,
      remoteAddress: '93.184.215.14',
      remotePort: 443,
      protocol: 6,
      direction: 'out',
    });
    return {
      connected: verdict.action === 'permit',
      detail: `simulated connection ${verdict.action}ed by filter ${verdict.filterId}`,
    };
  }
  const run = spawnSync(
    CURL,
    ['--silent', '--show-error', '--output', 'NUL', '--write-out', '%{http_code}', '--max-time', '15', URL],
    {
      encoding: 'utf8',
      windowsHide: true,
    },
  );
  if (run.error) return { connected: false, detail: `curl.exe could not start: ${run.error.message}` };
  const status = run.stdout.trim();
  if (run.status === 0 && /^[23]\d\d$/.test(status)) return { connected: true, detail: `HTTP ${status} from ${URL}` };
  return {
    connected: false,
    detail: `curl exit code ${run.status}: ${run.stderr.trim() || `HTTP ${status || 'none'}`}`,
  };
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

const isCurl = (e: NetEvent) =>
  e.appPath?.toLowerCase() === CURL.toLowerCase() || e.appId?.toLowerCase().endsWith('\\curl.exe') === true;

function filterSpec(action: AppFilterSpec['action']): AppFilterSpec {
  return {
    appPath: CURL,
    action,
    direction: 'out',
    weight: 10,
    name: `Portcullis smoke test: ${action} curl.exe`,
    description: 'Added by npm run smoke:windows and removed by it at the end.',
  };
}

async function main(): Promise<number> {
  const events: NetEvent[] = [];
  let lib: WfpLibrary | undefined;
  let engine: WfpEngine | undefined;
  let collection: EventCollection | undefined;
  let subscription: NetEventSubscription | undefined;
  let filters: FilterManager | undefined;
  let oursBefore = 0;
  let testFilterIds: number[] = [];
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

    engine = await step('Open a session with the Base Filtering Engine', () =>
      WfpEngine.open(library, { dynamic: false, name: 'Portcullis smoke test' }),
    );
    const session = engine;

    collection = await step(
      'Turn on net event collection',
      () => enableEventCollection(session, { allowEvents: true }),
      (c) =>
        c.changed.collectionEnabled || c.changed.keywordsAdded
          ? `changed (collection ${c.changed.collectionEnabled ? 'switched on' : 'was on'}, keywords added 0x${c.changed.keywordsAdded.toString(16)}); restored at the end`
          : 'already on',
    );

    subscription = await step(
      'Subscribe to net events',
      () => subscribe(session, { onEvent: (e) => void events.push(e) }),
      (s) => `FWPM_NET_EVENT${s.stats.version}`,
    );

    const manager = createFilterManager(session);
    filters = manager;
    const attribution = new FilterAttribution(
      (id) => manager.filterInfo(id),
      () => undefined,
    );
    oursBefore = await step(
      'Create our provider and sublayer',
      async () => {
        await manager.ensureProviderAndSublayer();
        return (await manager.listOurs()).length;
      },
      (n) =>
        n === 0 ? 'no filters of ours before the test' : `${n} filters of an installed Portcullis left untouched`,
    );

    const blockIds = await step(
      `Add our block filter for ${CURL}`,
      async () => {
        const result = await manager.apply({ add: [filterSpec('block')], remove: [] });
        return result.added.flat();
      },
      (ids) => `filter ids ${ids.join(', ')}`,
    );
    testFilterIds = blockIds;

    const blockedAt = Date.now() - 1000;
    await step(
      `Run curl ${URL} (expect it to be blocked)`,
      () => {
        const result = connectOnce(library);
        if (result.connected) throw new Error(`curl connected although our block filter is in place: ${result.detail}`);
        return result;
      },
      (r) => r.detail,
    );

    await step(
      'Receive the drop event, attributed to our filter',
      async () => {
        const drop = await waitFor(
          () =>
            events.find(
              (e) => e.type === 'drop' && e.time >= blockedAt && isCurl(e) && blockIds.includes(e.filterId ?? -1),
            ),
          `drop event for curl.exe from filter ${blockIds.join('/')}`,
        );
        const who = attribution.of(drop.filterId);
        if (who.blockedBy !== 'portcullis')
          throw new Error(`filter ${drop.filterId} was attributed to ${who.blockedBy}, not to Portcullis`);
        return { drop, who };
      },
      ({ drop, who }) =>
        `${drop.remoteAddress ?? '?'}:${drop.remotePort ?? '?'} dropped by "${who.filterName ?? drop.filterId}" (${who.blockedBy})`,
    );

    const allowIds = await step(
      'Replace the block by an allow, in one transaction',
      async () => {
        const result = await manager.apply({ add: [filterSpec('permit')], remove: blockIds });
        return result.added.flat();
      },
      (ids) => `filter ids ${ids.join(', ')}`,
    );
    testFilterIds = allowIds;

    await step(
      `Run curl ${URL} (expect it to connect)`,
      () => {
        const result = connectOnce(library);
        if (!result.connected) throw new Error(`curl did not connect with our allow filter in place: ${result.detail}`);
        return result;
      },
      (r) => r.detail,
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
    const manager = filters;
    if (manager) {
      await cleanup(
        'Remove everything the test added',
        async () => {
          if (oursBefore === 0) {
            await manager.removeAllOurs();
          } else if (testFilterIds.length > 0) {
            await manager.apply({ add: [], remove: testFilterIds });
          }
          const left = await manager.listOurs();
          if (left.length !== oursBefore)
            throw new Error(`${left.length} filters of ours remain, expected ${oursBefore}`);
          return left.length;
        },
        (n) =>
          n === 0
            ? 'no filter, sublayer or provider of ours remains'
            : `the ${String(n)} filters of the installed Portcullis remain`,
      );
    }
    await cleanup('Unsubscribe, restore the engine options and close the session', async () => {
      await subscription?.stop();
      await collection?.restore();
      await engine?.close();
    });
  }
  console.log(
    failed ? 'Smoke test FAILED.' : 'Smoke test passed: WFP blocked, reported and allowed curl.exe through Portcullis.',
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
