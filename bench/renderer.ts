// Benchmark 5: the renderer. (a) Bytes per second sent to the renderer at 1,000 and 20,000 events/s: the delta
// batches core really publishes, cloned as Electron's IPC clones them (node:v8 serialize), beside a naive design
// that sends one message per event (the log entry and the app's updated row). (b) In Chromium, with 10,000 apps and
// 100,000 log entries in core: the time to apply one delta batch (JSON text parsed in the page, as a transport must
// deserialize it; a page has no V8 deserializer of its own), apply it and paint, for 200 batches per view, and every
// frame interval while batches arrive every 100 ms, on the Blocked and the Activity view.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import type { Page } from 'playwright-core';
import { createPortcullisCore, type PortcullisCore } from '../electron/core/index';
import type { DeltaBatch } from '../electron/core/model';
import type { NetEvent } from '../native/api';
import { ACTIVITY_HARD_CAP } from '../renderer/src/store/data-store';
import { startHarness } from '../test/e2e/harness/index';
import { prepareEvents } from './lib/events';
import { createNullBackend } from './lib/null-backend';
import { ensureRendererBuilt } from './lib/renderer-build';
import { fmt, machineLoad, printTable, sleep, summarize, writeResult } from './lib/report';

interface CoreWithFeed {
  core: PortcullisCore;
  feed(event: NetEvent): void;
  dispose(): Promise<void>;
}

async function startCore(): Promise<CoreWithFeed> {
  const backend = createNullBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const core = createPortcullisCore({ backend, dataDir });
  await core.start();
  const sink = backend.sink;
  if (!sink) throw new Error('core did not subscribe');
  return {
    core,
    feed: (e) => sink.onEvent(e),
    dispose: async () => {
      await core.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- (a) bytes per second ----

async function bytesAt(eventsPerSecond: number, seconds: number, apps: number) {
  const { core, feed, dispose } = await startCore();
  const events = prepareEvents({ apps, endpoints: 5_000, count: 50_000 });
  // Apps that have been active a while (rows with their full endpoint lists) at every rate, so that the rates
  // compare what is sent per second and not how far the rows have filled up.
  for (let w = 0; w < apps * 64; w++) feed(events[w % events.length]!);
  core.flush();
  await sleep(1_100);
  let batched = 0;
  let naive = 0;
  let messages = 0;
  let carried = 0;
  // The naive design: per event, one message with the log entry, that app's row and its decision as they are now
  // (their sizes taken from the latest row and decision core published for the app).
  const appBytes = new Map<string, number>();
  const decisionBytes = new Map<string, number>();
  const offEvent = core.onEvent((entry) => {
    carried++;
    const envelope = serialize({ channel: 'portcullis:evt:event', entry }).length + 8;
    naive += envelope + (appBytes.get(entry.appKey) ?? 0) + (decisionBytes.get(entry.appKey) ?? 0);
  });
  const off = core.onDelta((batch: DeltaBatch) => {
    batched += serialize(batch).length;
    messages++;
    for (const app of batch.apps ?? []) appBytes.set(app.identity.key, serialize(app).length);
    for (const d of batch.decisions ?? []) decisionBytes.set(d.app.key, serialize(d).length);
  });
  const tickMs = 10;
  const perTick = (eventsPerSecond * tickMs) / 1000;
  let i = 0;
  const start = performance.now();
  for (let due = 0; performance.now() - start < seconds * 1000;) {
    due += perTick;
    for (; i < due; i++) feed(events[i % events.length]!);
    const next = start + (i / perTick) * tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  const elapsed = (performance.now() - start) / 1000;
  core.flush();
  off();
  offEvent();
  await dispose();
  return {
    eventsPerSecond,
    achievedEventsPerSecond: i / elapsed,
    batchedBytesPerSecond: batched / elapsed,
    naiveBytesPerSecond: naive / elapsed,
    batchesPerSecond: messages / elapsed,
    naiveMessagesPerSecond: carried / elapsed,
  };
}

// ---- (b) frames in Chromium ----

// Receives the batch as a structured argument (deserialized in the page, as IPC does), then times apply + paint.
// Written without named inner functions: the transpiler would wrap those in a helper the page does not have.
// (Node's types know no DOM: the page's globals are reached through globalThis.)
async function measureInPage(
  json: string,
): Promise<{ parse: number; apply: number; toFrame: number; toPaint: number }> {
  const page = globalThis as unknown as {
    requestAnimationFrame: (f: () => void) => void;
    __portcullisEmit: (e: string, p: unknown) => void;
  };
  await new Promise((r) => page.requestAnimationFrame(() => setTimeout(r, 0)));
  const t0 = performance.now();
  const batch: unknown = JSON.parse(json);
  const parsed = performance.now();
  page.__portcullisEmit('delta', batch);
  const applied = performance.now();
  await new Promise((r) => page.requestAnimationFrame(() => r(undefined)));
  const frame = performance.now();
  await new Promise((r) => setTimeout(r, 0));
  return { parse: parsed - t0, apply: applied - parsed, toFrame: frame - t0, toPaint: performance.now() - t0 };
}

const FRAME_RECORDER = /* js */ `() => {
  const frames = [];
  let on = true;
  const tick = (t) => { frames.push(t); if (on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__benchFrames = () => { on = false; return frames; };
}`;

async function framesOn(page: Page, batches: readonly DeltaBatch[]) {
  await page.evaluate(`(${FRAME_RECORDER})()`);
  const perBatch: { parse: number; apply: number; toFrame: number; toPaint: number }[] = [];
  for (const batch of batches) {
    const t = performance.now();
    perBatch.push(await page.evaluate(measureInPage, JSON.stringify(batch)));
    await sleep(Math.max(0, 100 - (performance.now() - t)));
  }
  const frames = (await page.evaluate('window.__benchFrames()')) as number[];
  const intervals = frames.slice(1).map((f, i) => f - frames[i]!);
  return {
    parseMs: summarize(perBatch.map((m) => m.parse)),
    applyMs: summarize(perBatch.map((m) => m.apply)),
    toPaintMs: summarize(perBatch.map((m) => m.toPaint)),
    frameIntervalMs: summarize(intervals),
    framesOver16ms: intervals.filter((d) => d > 16.7 * 1.5).length,
    frames: intervals.length,
  };
}

async function frames(apps: number, logEntries: number, batchCount: number) {
  ensureRendererBuilt();
  const { core, feed, dispose } = await startCore();
  // introSeen: the first-run introduction is a dialog over the views; the user has read it long before 10,000 apps.
  await core.handlers['settings.update']({ patch: { activityLogSize: logEntries, introSeen: true } });
  const setup = prepareEvents({ apps, endpoints: 20_000, count: logEntries });
  for (const e of setup) feed(e);
  core.flush();
  // Batches as a flood makes them: 2,000 events (20,000/s for 100 ms) over 500 of the apps.
  const batches: DeltaBatch[] = [];
  const off = core.onDelta((b) => batches.push(b));
  // Each batch as core's timer sends it (paced rows and log), not a forced flush that sends everything.
  for (let b = 0; b < batchCount * 2; b++) {
    const flood = prepareEvents({ apps: 500, endpoints: 5_000, count: 2_000 }, Date.now());
    for (let i = 0; i < 2_000; i++) feed(flood[(i * 7 + b * 131) % 2_000]!);
    const before = batches.length;
    while (batches.length === before) await sleep(5);
  }
  off();
  const batchBytes = summarize(batches.map((b) => Buffer.byteLength(JSON.stringify(b))));
  const full = core.snapshot();
  const snapshotBytes = Buffer.byteLength(JSON.stringify(full));
  const snapshotActivityBytes = Buffer.byteLength(JSON.stringify(full.activity));
  const snapshotAppsBytes = Buffer.byteLength(JSON.stringify(full.apps));

  // The harness delivers only the batches this benchmark sends, at the moment it measures them. snapshot.get
  // carries at most the log entries the page keeps (ACTIVITY_HARD_CAP), whatever the log holds in core.
  const handlers = core.handlers;
  const service = {
    handlers,
    onDelta: () => () => {},
    onNotification: () => () => {},
    stop: async () => {},
    endSession: () => {},
  };
  const harness = await startHarness({ core: service, stopCoreOnClose: false });
  try {
    const page = await harness.open('index.html');
    const t0 = performance.now();
    await page.getByRole('heading', { level: 1, name: 'Blocked apps' }).waitFor({ timeout: 60_000 });
    await page
      .getByText(`${fmt(apps)} apps`, { exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
    const firstLoadMs = performance.now() - t0;
    await sleep(1_000);
    const blocked = await framesOn(page, batches.slice(0, batchCount));
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Activity' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor({ timeout: 10_000 });
    await sleep(1_000);
    const activity = await framesOn(page, batches.slice(batchCount));
    if (harness.pageErrors.length) console.log(`  page errors: ${harness.pageErrors.slice(0, 3).join(' | ')}`);
    return {
      firstLoadMs,
      snapshotBytes,
      snapshotActivityBytes,
      snapshotAppsBytes,
      batchBytes,
      blocked,
      activity,
      pageErrors: harness.pageErrors.length,
    };
  } finally {
    await harness.close();
    await dispose();
  }
}

const loadBefore = machineLoad();
const bytes = [];
for (const rate of [1_000, 5_000, 20_000]) bytes.push(await bytesAt(rate, 3, 300));
const f = await frames(10_000, 100_000, Number(process.env.BENCH_RENDERER_BATCHES ?? 200));
const loadAfter = machineLoad();

printTable(
  '5a. Bytes per second to the renderer (300 apps active, warmed with 64 events each; structured clone as sent)',
  bytes.map((b) => ({
    'events/s': fmt(b.eventsPerSecond),
    achieved: fmt(b.achievedEventsPerSecond),
    'batched KB/s': fmt(b.batchedBytesPerSecond / 1024),
    'batches/s': fmt(b.batchesPerSecond, 1),
    'naive KB/s': fmt(b.naiveBytesPerSecond / 1024),
    'naive msgs/s': fmt(b.naiveMessagesPerSecond),
    'batched ÷ naive': `${fmt((b.batchedBytesPerSecond / b.naiveBytesPerSecond) * 100)}%`,
  })),
);
const frameRow = (view: string, m: Awaited<ReturnType<typeof frames>>['blocked']) => ({
  view,
  batches: fmt(m.toPaintMs.n),
  'parse p50/p99 ms': `${fmt(m.parseMs.p50, 1)} / ${fmt(m.parseMs.p99, 1)}`,
  'apply p50/p99 ms': `${fmt(m.applyMs.p50, 1)} / ${fmt(m.applyMs.p99, 1)}`,
  'batch->painted p50/p99 ms': `${fmt(m.toPaintMs.p50, 1)} / ${fmt(m.toPaintMs.p99, 1)}`,
  'frame interval p50/p99 ms': `${fmt(m.frameIntervalMs.p50, 1)} / ${fmt(m.frameIntervalMs.p99, 1)}`,
  'frames > 25 ms': `${m.framesOver16ms} of ${m.frames}`,
});
printTable(
  `5b. Chromium, 10,000 apps + 100,000 log entries in core; batches of 2,000 events over 500 apps every 100 ms (batch p50 ${fmt(f.batchBytes.p50 / 1024)} KB, max ${fmt(f.batchBytes.max / 1024)} KB)`,
  [frameRow('Blocked apps', f.blocked), frameRow('Activity', f.activity)],
);
console.log(
  `  full snapshot ${fmt(f.snapshotBytes / 1048576, 1)} MB (apps ${fmt(f.snapshotAppsBytes / 1048576, 1)} MB, log ` +
    `${fmt(f.snapshotActivityBytes / 1048576, 1)} MB); first load with the newest ${fmt(ACTIVITY_HARD_CAP)} log entries ` +
    `to 10,000 rows: ${fmt(f.firstLoadMs)} ms; ` +
    `load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m}`,
);
writeResult('5-renderer', { bytes, frames: f, loadBefore, loadAfter });
