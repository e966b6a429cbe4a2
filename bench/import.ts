// Benchmark 8: importing the app's own largest exports through the real core: a seeded, realistic mix of rules
// (programs, services, packaged apps; ports, addresses, protocols; both directions; rules with an end date) is
// saved by the rule store, exported by `rules.export`, and imported into a fresh core as the window does it: in
// pieces through `rules.uploadImport` when the file is above one message's size, then `rules.previewImport`, then
// `rules.import` with the preview's token (checks, store write, WFP transactions). 20,000 rules go to the native
// layer on the simulator; the 100,000-rule export (over 20 MB) to core with a WFP stand-in (see SIZES). Each round
// starts from an empty data folder (and an empty simulator); the delta batches core sends meanwhile are serialized
// as the transport would. Printed per size: whole wall-clock time of upload, preview and import, and the longest
// stretch the main thread was not free (a 0 ms timer chain notices every gap).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { createNativeBackend } from '../electron/core/backend/native';
import { createPortcullisCore, type PortcullisCore } from '../electron/core/index';
import { JsonFile } from '../electron/core/persistence/json-file';
import { emptyRulesDocument, RuleStore, type RuleDraft } from '../electron/core/rules/rule-store';
import { rulesDocumentSchema } from '../electron/core/rules/schema';
import { loadSimControl, loadWfp } from '../native/index';
import { createNullBackend } from './lib/null-backend';
import { enumerateOurFilters } from './lib/our-filters';
import { prng } from './lib/mix';
import { fmt, machineLoad, printTable, writeResult } from './lib/report';
import { fmtSpread, spread, type Spread } from './lib/spread';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
/**
 * Rules and the WFP behind core: the simulator (the native layer, real transactions), or, for the 100,000-rule
 * export, a stand-in that accepts every filter (bench/lib/null-backend.ts): one round of 100,000 rules (about
 * 208,000 filters) on the simulator did not finish within 15 minutes on the shared machine.
 * BENCH_IMPORT_SIZES="20000:simulator,100000:simulator" chooses others.
 */
const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '20000:simulator,100000:null').split(',').map((entry) => {
  const [rules, backend = 'simulator'] = entry.split(':');
  if (backend !== 'simulator' && backend !== 'null') throw new Error(`unknown backend ${backend}`);
  return { rules: Number(rules), backend };
});
/** As the window sends a file: one message up to 4 M characters, pieces above that (renderer/.../import-file.ts). */
const PIECE_CHARS = 4 * 1024 * 1024;
/** Electron's limit on one IPC message before imports went in pieces. */
const OLD_IPC_LIMIT = 20 * 1024 * 1024;

const sim = loadSimControl(loadWfp());
const SERVICES = ['dnscache', 'wuauserv', 'bits', 'cryptsvc', 'w32time', 'dhcp', 'lanmanworkstation', 'wsearch'];
const VENDORS = ['Mozilla Firefox', 'Google\\Chrome\\Application', 'JetBrains\\IntelliJ IDEA', 'Steam', 'Zoom\\bin'];

/** A rule as users end up with: mostly program rules, some services and packaged apps, a third with conditions. */
function ruleMix(count: number, seed: number): RuleDraft[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const drafts: RuleDraft[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    let app: RuleDraft['app'];
    if (r < 0.85) {
      const path = `C:\\${random() < 0.7 ? 'Program Files' : 'Users\\ana\\AppData\\Local'}\\${pick(VENDORS)} ${i}\\app${i}.exe`;
      app = { key: `path:${path.toLowerCase()}`, kind: 'path', displayName: `App ${i}`, path };
    } else if (r < 0.95) {
      const name = `${pick(SERVICES)}${i}`;
      app = { key: `service:${name}`, kind: 'service', displayName: `Service ${name}`, serviceName: name };
    } else {
      const sid = `S-1-15-2-${[1, 2, 3, 4, 5, 6].map(() => Math.floor(random() * 4e9)).join('-')}-${i}`;
      app = { key: `package:${sid}`, kind: 'package', displayName: `Package ${i}`, packageSid: sid };
    }
    const direction = random() < 0.8 ? 'out' : random() < 0.5 ? 'in' : 'both';
    const conditions = random() < 0.35;
    drafts.push({
      app,
      action: random() < 0.7 ? 'allow' : 'block',
      direction,
      ...(conditions ? { protocol: 6, remotePort: pick([80, 443, 8080, 3389]) } : {}),
      ...(conditions && random() < 0.3 ? { remoteAddress: `203.0.113.${i % 250}` } : {}),
      ...(direction !== 'out' && random() < 0.3 ? { localPort: 1024 + (i % 60_000) } : {}),
      duration: random() < 0.1 ? { kind: 'until', until: Date.now() + 30 * 86_400_000 } : { kind: 'forever' },
      source: pick(['user', 'prompt', 'learning'] as const),
      ...(random() < 0.05 ? { note: `kept for the ${i % 7 === 0 ? 'VPN' : 'build server'}` } : {}),
    });
  }
  return drafts;
}

/** The app's own export of `count` rules: saved by the rule store, then exported by a core started on them. */
async function ownExport(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-export-'));
  const clock = { now: () => Date.now() };
  let n = 0;
  const store = new RuleStore(
    new JsonFile(join(dir, 'rules.json'), rulesDocumentSchema, emptyRulesDocument, clock),
    clock,
    () => `bench-${++n}`,
  );
  store.load();
  await store.add(ruleMix(count, count));
  const core = createPortcullisCore({ backend: createNativeBackend(), dataDir: dir });
  await core.start({ subscribe: false, reconcile: false, watchDataFolder: false });
  const { json } = await core.handlers['rules.export']({});
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
  return json;
}

/**
 * Runs `work` while a 0 ms timer chain measures the longest stretch the main thread was busy, and keeps measuring
 * for `afterMs` once it is done (the delta batch with the imported rules leaves on core's timer after the answer).
 */
async function timed<T>(
  work: () => Promise<T> | T,
  afterMs = 0,
): Promise<{ result: T; ms: number; longestMs: number }> {
  let last = performance.now();
  let longest = 0;
  let on = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (on) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, afterMs));
  on = false;
  await new Promise((r) => setTimeout(r, 1));
  longest = Math.max(longest, performance.now() - last - 1);
  return { result, ms, longestMs: longest };
}

async function importOnce(
  json: string,
  round: number,
  backend: string,
): Promise<{ upload: number; preview: number; apply: number; longest: number; filters: number; imported: number }> {
  sim.reset();
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-import-'));
  const simulator = backend === 'simulator';
  const core: PortcullisCore = createPortcullisCore({
    backend: simulator ? createNativeBackend() : createNullBackend(),
    dataDir: dir,
  });
  await core.start({ subscribe: false, watchDataFolder: false });
  // The transport clones every delta batch (the imported rules reach the window this way): part of the work. Electron's
  // IPC clones with V8's ValueSerializer, which node:v8 serialize is.
  core.onDelta((batch) => void serialize(batch));
  const h = core.handlers;
  const uploadId = `bench-upload-${round}`;
  const source = json.length > PIECE_CHARS ? { uploadId } : { json };
  const upload = await timed(async () => {
    if (!('uploadId' in source)) return;
    const count = Math.ceil(json.length / PIECE_CHARS);
    for (let index = 0; index < count; index++) {
      const text = json.slice(index * PIECE_CHARS, (index + 1) * PIECE_CHARS);
      await h['rules.uploadImport']({ uploadId, index, count, text });
    }
  });
  const preview = await timed(() => h['rules.previewImport'](source));
  if (preview.result.errors.length > 0) throw new Error(`preview refused the export: ${preview.result.errors[0]}`);
  const apply = await timed(() => h['rules.import']({ ...source, token: preview.result.token }), 1_000);
  const filters = simulator ? (await enumerateOurFilters()).length : NaN;
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    upload: upload.ms,
    preview: preview.ms,
    apply: apply.ms,
    longest: Math.max(upload.longestMs, preview.longestMs, apply.longestMs),
    filters,
    imported: apply.result.imported ?? 0,
  };
}

const loadBefore = machineLoad();
const rows: Record<string, string>[] = [];
const results: Record<string, unknown> = {};
for (const { rules: size, backend } of SIZES) {
  const json = await ownExport(size);
  const runs: Awaited<ReturnType<typeof importOnce>>[] = [];
  for (let r = 0; r < REPEAT; r++) runs.push(await importOnce(json, r, backend));
  if (runs.some((r) => r.imported !== size)) throw new Error(`imported ${runs.map((r) => r.imported)} of ${size}`);
  const s = (pick: (r: (typeof runs)[number]) => number): Spread => spread(runs.map(pick));
  const figures = {
    exportChars: json.length,
    pieces: json.length > PIECE_CHARS ? Math.ceil(json.length / PIECE_CHARS) : 0,
    filters: runs[0]!.filters,
    uploadMs: s((r) => r.upload),
    previewMs: s((r) => r.preview),
    importMs: s((r) => r.apply),
    wholeMs: s((r) => r.upload + r.preview + r.apply),
    longestTaskMs: s((r) => r.longest),
  };
  results[`import${size}`] = { ...figures, backend };
  console.log(`  ${fmt(size)} rules: ${JSON.stringify(figures)}`); // as each size finishes (100,000 takes minutes)
  rows.push({
    rules: fmt(size),
    WFP: backend === 'simulator' ? 'simulator' : 'stand-in',
    'export (chars)': `${fmt(json.length / 1048576, 1)} M${json.length > OLD_IPC_LIMIT ? ' (> 20 MB)' : ''}`,
    sent: figures.pieces ? `${figures.pieces} pieces` : 'one message',
    'WFP filters': Number.isNaN(figures.filters) ? '-' : fmt(figures.filters),
    'preview ms': fmtSpread(figures.previewMs),
    'import ms': fmtSpread(figures.importMs),
    'whole ms': fmtSpread(figures.wholeMs),
    'longest task ms': fmtSpread(figures.longestTaskMs, 1),
  });
}
const loadAfter = machineLoad();
printTable(
  `8. Import of the app's own export (simulator: native layer; stand-in: WFP accepts every filter), median (min-max) of ${REPEAT}; whole = upload + preview + import`,
  rows,
);
console.log(`  load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`);
writeResult('8-import', { ...results, loadBefore, loadAfter });
