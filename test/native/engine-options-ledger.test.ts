// Engine options a killed process left behind (native/options.ts, electron/core/persistence/collection-ledger.ts):
// BFE keeps them across reboots, so what a Portcullis process turned on and never restored is put right by the next
// one, except what a Portcullis process that still runs needs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileCollectionLedger } from '../../electron/core/persistence/collection-ledger.js';
import { WfpEngine } from '../../native/engine.js';
import { enableEventCollection } from '../../native/options.js';
import { FWPM_ENGINE_OPTION, FWPM_NET_EVENT_KEYWORD as K } from '../../native/wfp/constants.js';
import { simulator } from './helpers.js';

const { sim, lib } = simulator();
const ALLOW = K.CLASSIFY_ALLOW | K.CAPABILITY_ALLOW;

/** The id of a process that has ended (a Portcullis killed in the middle of Learning). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

const children: ChildProcess[] = [];
/** The id of a process that runs (another Portcullis process: the app beside a command). */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

let dataDir: string;
let engine: WfpEngine;
const keywords = () => engine.getOption(FWPM_ENGINE_OPTION.NET_EVENT_MATCH_ANY_KEYWORDS);
const records = () => {
  try {
    return readdirSync(join(dataDir, 'engine-options')).sort();
  } catch {
    return [];
  }
};

beforeEach(async () => {
  sim.reset();
  dataDir = mkdtempSync(join(tmpdir(), 'portcullis-ledger-'));
  engine = await WfpEngine.open(lib);
});

afterEach(async () => {
  await engine.close();
  for (const child of children.splice(0)) child.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('engine options a killed process left', () => {
  it('a process killed in Learning: the next start clears the allow keywords it turned on', async () => {
    const before = keywords();
    const killed = deadPid();
    await enableEventCollection(engine, { allowEvents: true, ledger: fileCollectionLedger(dataDir, killed) });
    // Never restored: the process was killed. Its record stays.
    expect(keywords() & ALLOW).toBe(ALLOW);
    expect(records()).toEqual([`${killed}.json`]);

    const next = await enableEventCollection(engine, { allowEvents: false, ledger: fileCollectionLedger(dataDir) });
    expect(keywords() & ALLOW).toBe(0);
    expect(records()).toEqual([`${process.pid}.json`]);
    await next.restore();
    expect(keywords()).toBe(before);
    expect(records()).toEqual([]);
  });

  it('turned collection off: a killed process that turned it on leaves it to the next, which restores it off', async () => {
    engine.setOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS, 0);
    await enableEventCollection(engine, { allowEvents: false, ledger: fileCollectionLedger(dataDir, deadPid()) });
    const next = await enableEventCollection(engine, { allowEvents: false, ledger: fileCollectionLedger(dataDir) });
    expect(next.changed.collectionEnabled).toBe(true);
    await next.restore();
    expect(engine.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS)).toBe(0);
  });

  it("a restarted Learning takes over the killed one's keywords and clears them when it quits", async () => {
    const before = keywords();
    await enableEventCollection(engine, { allowEvents: true, ledger: fileCollectionLedger(dataDir, deadPid()) });
    const next = await enableEventCollection(engine, { allowEvents: true, ledger: fileCollectionLedger(dataDir) });
    expect(next.changed.keywordsAdded & ALLOW).toBe(ALLOW);
    await next.restore();
    expect(keywords()).toBe(before);
  });

  it('a command beside a running app in Learning clears nothing the app needs', async () => {
    const app = await enableEventCollection(engine, {
      allowEvents: true,
      ledger: fileCollectionLedger(dataDir, livePid()),
    });
    expect(app.changed.keywordsAdded & ALLOW).toBe(ALLOW);
    const command = await enableEventCollection(engine, { allowEvents: false, ledger: fileCollectionLedger(dataDir) });
    await command.restore();
    expect(keywords() & ALLOW).toBe(ALLOW);
    expect(engine.getOption(FWPM_ENGINE_OPTION.COLLECT_NET_EVENTS)).toBe(1);
  });

  it('a quitting process leaves what a running one needs on its record, and the next start clears it once that one is gone', async () => {
    const before = keywords();
    const quitting = await enableEventCollection(engine, {
      allowEvents: true,
      ledger: fileCollectionLedger(dataDir, process.pid),
    });
    // Another Portcullis started since, found the keywords on and added nothing; it needs them.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    children.push(other);
    fileCollectionLedger(dataDir, other.pid!).write({
      added: { collectionEnabled: false, keywordsAdded: 0 },
      needs: { collection: true, keywords: ALLOW | K.CAPABILITY_DROP },
    });
    await quitting.restore();
    expect(keywords() & ALLOW).toBe(ALLOW);
    expect(records()).toContain(`${process.pid}.json`);

    // Both gone (the one that quit, then the other, killed): a later start clears what was left.
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const ourRecord = fileCollectionLedger(dataDir, process.pid).mine()!;
    rmSync(join(dataDir, 'engine-options', `${process.pid}.json`));
    fileCollectionLedger(dataDir, deadPid()).write(ourRecord);
    const later = await enableEventCollection(engine, { allowEvents: false, ledger: fileCollectionLedger(dataDir) });
    expect(keywords() & ALLOW).toBe(0);
    await later.restore();
    expect(keywords()).toBe(before);
  });

  it('a torn record is left alone, and so are the options', async () => {
    await enableEventCollection(engine, { allowEvents: true, ledger: fileCollectionLedger(dataDir, deadPid()) });
    const [name] = records();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'engine-options', name!), '{"added":');
    const next = await enableEventCollection(engine, { allowEvents: false, ledger: fileCollectionLedger(dataDir) });
    expect(keywords() & ALLOW).toBe(ALLOW);
    await next.restore();
  });
});
