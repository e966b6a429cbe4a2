// Live checks of the identity sources on a real Windows PC, for `npm run smoke:windows` to call (or run alone:
// `npx tsx scripts/smoke/identity.ts`, from a terminal opened as administrator):
//   1. curl.exe's publisher: System32\curl.exe is catalog-signed by Microsoft, so this walks the catalog path
//      (CryptCATAdmin*) and reads the signer's name from its certificate.
//   2. A domain name: while the DNS names session runs, curl.exe looks up example.com; event 3008 must name it,
//      with curl.exe's process id and executable, and an address.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addressesOfQueryResults } from '../../electron/core/enrichment/host-names';
import { watchDnsClient, type DnsQueryEvent } from '../../native/etw/dns-client';
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
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await checkIdentitySources();
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
