// Live checks of the identity sources on a real Windows PC, for `npm run smoke:windows` to call (or run alone:
// `npx tsx scripts/smoke/identity.ts`, from a terminal opened as administrator):
//   1. curl.exe's publisher: System32\curl.exe is catalog-signed by Microsoft, so this walks the catalog path
//      (CryptCATAdmin*) and reads the signer's name from its certificate.
//   2. A domain name: while the DNS names session runs, curl.exe looks up example.com; event 3008 must name it,
//      with curl.exe's process id and executable, and an address.
//   3. A service named: failure auditing of blocked connections on (put back as found afterwards), a block of
//      svchost.exe to a documentation address in a dynamic WFP session, then BITS (bitsadmin) is asked to download
//      from that address; the Security log's 5157 record must name BITS's svchost process, and the service list must
//      say BITS runs in it. Also prints how many 5157 records the PC wrote per second meanwhile, and the service SID
//      types of BITS and Dnscache (QueryServiceConfig2W, which Wine does not implement).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addressesOfQueryResults } from '../../electron/core/enrichment/host-names';
import { watchDnsClient, type DnsQueryEvent } from '../../native/etw/dns-client';
import { createFilterManager, loadWfp, WfpEngine } from '../../native/index';
import { enableBlockedConnectionAudit, restoreConnectionAudit } from '../../native/services/audit-policy';
import { watchBlockedConnections, type BlockedConnectionRecord } from '../../native/services/security-log';
import { runningServices, serviceSidType, servicesByProcess } from '../../native/services/service-list';
import { verifyFileSignature } from '../../native/wintrust/verify';

export interface SmokeResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
const CURL = join(systemRoot, 'System32', 'curl.exe').replaceAll('/', '\\');

export async function checkIdentitySources(): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  const signature = await verifyFileSignature(CURL);
  results.push({
    name: "curl.exe's publisher",
    ok: signature.verdict === 'signed' && /microsoft/i.test(signature.signer ?? ''),
    detail: `${signature.verdict} (${signature.symbol}), signer ${signature.signer ?? 'none'}, ${signature.source ?? 'no'} signature`,
  });

  const seen: DnsQueryEvent[] = [];
  try {
    const watch = await watchDnsClient((q) => seen.push(q));
    try {
      spawnSync(CURL, ['-s', '-o', 'NUL', '--max-time', '10', 'https://example.com/'], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !seen.some((q) => q.name.toLowerCase() === 'example.com')) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await watch.stop();
    }
    const query = seen.find((q) => q.name.toLowerCase() === 'example.com' && /curl\.exe$/i.test(q.imagePath ?? ''));
    results.push({
      name: 'a domain name from the DNS client',
      ok: query !== undefined && addressesOfQueryResults(query.results).length > 0,
      detail: query
        ? `example.com for ${query.imagePath} (pid ${query.processId}): ${addressesOfQueryResults(query.results).join(', ')}`
        : `no event 3008 for example.com from curl.exe among ${seen.length} queries`,
    });
  } catch (e) {
    results.push({
      name: 'a domain name from the DNS client',
      ok: false,
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  results.push(await checkServiceNamed());
  return results;
}

function sidTypeOf(name: string): string {
  try {
    return serviceSidType(name) ?? 'no such service';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const UNREACHABLE = '192.0.2.123'; // TEST-NET-1: nothing answers there, nothing else goes there

async function checkServiceNamed(): Promise<SmokeResult> {
  const name = 'a service named from the Security log';
  const audit = (() => {
    try {
      return enableBlockedConnectionAudit();
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  })();
  if (audit instanceof Error) return { name, ok: false, detail: audit.message };
  const records: BlockedConnectionRecord[] = [];
  let engine: WfpEngine | undefined;
  try {
    engine = await WfpEngine.open(loadWfp(), { dynamic: true, name: 'Portcullis smoke test (services)' });
    const filters = createFilterManager(engine);
    await filters.ensureProviderAndSublayer();
    await filters.apply({
      add: [
        {
          appPath: join(systemRoot, 'System32', 'svchost.exe'),
          action: 'block',
          direction: 'out',
          remoteAddress: UNREACHABLE,
          name: 'Portcullis smoke test: block svchost.exe to a documentation address',
          description: 'Added by npm run smoke:windows in a dynamic session; gone when the session closes.',
        },
      ],
      remove: [],
    });
    const watch = watchBlockedConnections((r) => records.push(r));
    const started = Date.now();
    try {
      const bitsadmin = join(systemRoot, 'System32', 'bitsadmin.exe');
      const target = join(process.env.TEMP ?? systemRoot, 'portcullis-smoke.bin');
      spawnSync(
        bitsadmin,
        ['/transfer', 'PortcullisSmoke', '/download', '/priority', 'foreground', `http://${UNREACHABLE}/x`, target],
        {
          stdio: 'ignore',
          timeout: 15_000,
        },
      );
      spawnSync(bitsadmin, ['/cancel', 'PortcullisSmoke'], { stdio: 'ignore', timeout: 5_000 });
    } finally {
      await new Promise((r) => setTimeout(r, 1_000));
      await watch.stop();
    }
    const seconds = (Date.now() - started) / 1000;
    const ours = records.find((r) => r.destAddress === UNREACHABLE || r.sourceAddress === UNREACHABLE);
    const services = ours ? (servicesByProcess(runningServices()).get(ours.processId) ?? []) : [];
    return {
      name,
      ok: ours !== undefined && services.some((s) => s.toLowerCase() === 'bits'),
      detail: ours
        ? `5157 for ${ours.application} pid ${ours.processId}: ${services.join(', ') || 'no service listed'}; ${records.length} records in ${seconds.toFixed(1)} s (${(records.length / seconds).toFixed(1)}/s on this PC); SID types: BITS ${sidTypeOf('BITS')}, Dnscache ${sidTypeOf('Dnscache')}`
        : `no 5157 record for ${UNREACHABLE} among ${records.length}`,
    };
  } catch (e) {
    return { name, ok: false, detail: e instanceof Error ? e.message : String(e) };
  } finally {
    await engine?.close().catch(() => undefined);
    if (audit.changed) restoreConnectionAudit(audit.before);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await checkIdentitySources();
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
