// File lookups on their own thread (native/lookups): the same answers as the calls made from the main thread, a turn's
// requests in one message, and lookups that carry on from the main thread when the thread dies.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileIdentity } from '../../native/files/identity.js';
import { loadFiles, realCasePath } from '../../native/files/real-case.js';
import { simulatorPath } from '../../native/loader.js';
import { callsHoldingExit, FileLookups } from '../../native/lookups/file-lookups.js';
import { loadTrustSimControl } from '../../native/wintrust/sim-control.js';
import { loadTrust } from '../../native/wintrust/functions.js';
import { verifyFileSignature } from '../../native/wintrust/verify.js';

const control = koffi.load(simulatorPath());
const addFile = control.func('sim_add_file', 'uint32_t', ['char16_t *']);
const resetFiles = control.func('uint32_t sim_files_reset(void)');
const trust = loadTrustSimControl();
const dir = mkdtempSync(join(tmpdir(), 'portcullis-lookups-'));
const program = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(4096, name.length));
  return path;
};

describe('file lookups on a thread of their own', () => {
  let lookups: FileLookups;
  beforeEach(() => {
    resetFiles();
    trust.reset();
  });
  afterEach(() => lookups.stop());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers as the calls made from the main thread do: real case, signer, verdicts, file identity', async () => {
    lookups = new FileLookups();
    addFile('C:\\Program Files\\Contoso\\Tool.exe');
    const signed = program('signed.exe');
    trust.signFile(signed, 'Contoso Ltd');
    const unsigned = program('unsigned.exe');
    const missing = join(dir, 'missing.exe');

    const own = await Promise.all([
      lookups.realCasePath('c:\\program files\\contoso\\tool.exe'),
      lookups.realCasePath('c:\\program files\\contoso\\other.exe'),
      lookups.verifySignature(signed),
      lookups.verifySignature(unsigned),
      lookups.verifySignature(missing),
      lookups.fileIdentity(signed),
      lookups.fileIdentity(missing),
    ]);
    expect(lookups.where).toEqual({ thread: 'own' });
    expect(own[0]).toBe('C:\\Program Files\\Contoso\\Tool.exe');
    expect(own[2]).toMatchObject({ verdict: 'signed', signer: 'Contoso Ltd' });
    expect(own[3]).toMatchObject({ verdict: 'unsigned' });
    expect(own[4]).toMatchObject({ verdict: 'unreadable' });
    expect(own[5]).toMatch(/^\d+:\d+:\d+$/); // size (the signature trailer included), time, file id

    const files = loadFiles();
    const main = [
      await realCasePath('c:\\program files\\contoso\\tool.exe', files),
      await realCasePath('c:\\program files\\contoso\\other.exe', files),
      await verifyFileSignature(signed, loadTrust()),
      await verifyFileSignature(unsigned, loadTrust()),
      await verifyFileSignature(missing, loadTrust()),
      await fileIdentity(signed),
      await fileIdentity(missing),
    ];
    expect(own).toEqual(main);
  });

  it('sends the lookups asked in one turn as one message, and answers every one', async () => {
    lookups = new FileLookups();
    const paths = Array.from({ length: 60 }, (_, i) => `C:\\Apps\\App${i}\\app${i}.exe`);
    for (const path of paths) addFile(path);
    const answers = await Promise.all(paths.map((path) => lookups.realCasePath(path.toLowerCase())));
    expect(answers).toEqual(paths);
    expect(lookups.batchesSent).toBe(1);
  });

  it('when its thread dies, what it had not answered is looked up from the main thread, and so is what follows', async () => {
    // A thread that ends at its first message, as a crash in a native call would end it.
    const dying = {
      url: new URL(
        `data:text/javascript,import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(7));`,
      ),
    };
    lookups = new FileLookups(undefined, dying);
    const told: string[] = [];
    lookups.onFallback = (reason) => told.push(reason);
    addFile('C:\\Tools\\Tool.exe');
    const signed = program('dying-signed.exe');
    trust.signFile(signed, 'Fabrikam Inc');
    const [real, signature] = await Promise.all([
      lookups.realCasePath('c:\\tools\\tool.exe'),
      lookups.verifySignature(signed),
    ]);
    expect(real).toBe('C:\\Tools\\Tool.exe');
    expect(signature).toMatchObject({ verdict: 'signed', signer: 'Fabrikam Inc' });
    expect(lookups.where).toEqual({ thread: 'main', reason: 'the file-lookup thread ended (exit code 7)' });
    expect(told).toEqual(['the file-lookup thread ended (exit code 7)']);
    expect(await lookups.realCasePath('c:\\tools\\tool.exe')).toBe('C:\\Tools\\Tool.exe');
  });

  it('gives up on a thread that answers nothing, and looks up from the main thread instead', async () => {
    // A thread stuck in a call, as one waiting on a network share whose server went away would be.
    const stuck = {
      url: new URL(
        `data:text/javascript,import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => {});`,
      ),
    };
    lookups = new FileLookups(undefined, stuck, 100);
    addFile('C:\\Tools\\Tool.exe');
    // Nothing else is asked meanwhile, as when the queues' slots are all held by lookups the thread never answers.
    const first = lookups.realCasePath('c:\\tools\\tool.exe');
    expect(lookups.where.thread).toBe('own');
    expect(await first).toBe('C:\\Tools\\Tool.exe');
    expect(lookups.where).toEqual({ thread: 'main', reason: 'the file-lookup thread answered nothing for 0.1 s' });
    expect(await lookups.realCasePath('c:\\tools\\tool.exe')).toBe('C:\\Tools\\Tool.exe');
  });

  it('refuses lookups once stopped, and its thread ends by itself even while still starting', async () => {
    lookups = new FileLookups();
    const pending = lookups.fileIdentity(program('late.exe'));
    await new Promise((r) => setImmediate(r)); // the thread was started and asked; it is still loading its modules
    const ended = lookups.stop();
    await expect(pending).rejects.toThrow('file lookups stopped');
    const exited = await Promise.race([
      ended.then(() => 'ended'),
      new Promise((r) => setTimeout(() => r('late'), 1_900)),
    ]);
    expect(exited).toBe('ended');
    await expect(lookups.realCasePath('c:\\tools\\tool.exe')).rejects.toThrow('file lookups stopped');
  });

  it('names a lookup whose call has not returned, until it returns, so that quitting need not wait for it', async () => {
    const hung = unanswering('on-a-share.exe');
    lookups = new FileLookups();
    const answer = lookups.verifySignature(hung).catch((e: unknown) => e);
    await until(() => callsHoldingExit().length > 0, 20_000);
    expect(callsHoldingExit()).toEqual([
      expect.stringMatching(/^the signature check of .*on-a-share\.exe \(asked \d+ s ago\)$/),
    ]);
    // Stopping gives up waiting after 2 s; the thread is still inside the call.
    const stopped = Date.now();
    await lookups.stop();
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(1_900);
    expect(await answer).toEqual(new Error('file lookups stopped'));
    expect(callsHoldingExit()).toHaveLength(1);
    // The call returns: the thread ends, and nothing holds the process any more.
    await until(() => answering(hung) && callsHoldingExit().length === 0, 10_000);
  }, 40_000);

  it('does not take a thread for stuck when two long calls in a row keep it silent for longer than the limit', async () => {
    lookups = new FileLookups(undefined, undefined, 2_500);
    addFile('C:\\Tools\\Tool.exe');
    expect(await lookups.realCasePath('c:\\tools\\tool.exe')).toBe('C:\\Tools\\Tool.exe');
    const [a, b] = [unanswering('slow-a.exe'), unanswering('slow-b.exe')];
    const asked = Date.now();
    let answered = 0;
    const answers = [a, b].map((path) =>
      lookups.verifySignature(path).then(
        (value) => (answered++, value),
        (e: unknown) => (answered++, e),
      ),
    );
    // Each call lasts 1.7 s, two thirds of the limit; the thread sends both answers when the second returns.
    const inCallOf = (path: string) => callsHoldingExit().some((held) => held.includes(path));
    await until(() => inCallOf(a), 10_000);
    await new Promise((r) => setTimeout(r, 1_700));
    await until(() => answering(a) && inCallOf(b), 10_000);
    await new Promise((r) => setTimeout(r, 1_700));
    await until(() => answering(b) && answered === 2, 10_000);
    expect(Date.now() - asked).toBeGreaterThan(2_500);
    for (const answer of await Promise.all(answers)) {
      expect(answer).not.toBeInstanceOf(Error);
      expect(answer).toHaveProperty('verdict');
    }
    expect(lookups.where).toEqual({ thread: 'own' });
    expect(callsHoldingExit()).toEqual([]);
  }, 40_000);

  it('answers a call that does not return with an error, and goes on with the lookups behind it on a new thread', async () => {
    // Longer than a new thread takes to start from TypeScript source: silent while starting, it is not inside a call.
    lookups = new FileLookups(undefined, undefined, 2_500);
    addFile('C:\\Tools\\Tool.exe');
    // Started and warm: silent while starting, a thread would be taken for broken rather than inside a call.
    expect(await lookups.realCasePath('c:\\tools\\tool.exe')).toBe('C:\\Tools\\Tool.exe');
    const first = unanswering('first.exe');
    const [stuck, behind] = [
      lookups.verifySignature(first).catch((e: unknown) => e),
      lookups.realCasePath('c:\\tools\\tool.exe'),
    ];
    expect(await stuck).toEqual(
      new Error(
        `the signature check of ${first} did not return within 2.5 s (a file on a network share that does not answer?)`,
      ),
    );
    expect(await behind).toBe('C:\\Tools\\Tool.exe');
    expect(lookups.where).toEqual({ thread: 'own' });
    // Two more: three threads left inside their calls, and lookups are refused until one of them returns.
    const more = [unanswering('second.exe'), unanswering('third.exe')];
    for (const path of more) await expect(lookups.verifySignature(path)).rejects.toThrow('did not return within 2.5 s');
    await expect(lookups.realCasePath('c:\\tools\\tool.exe')).rejects.toThrow(
      'file lookups paused: 3 calls into Windows have not returned',
    );
    expect(callsHoldingExit()).toHaveLength(3);
    await until(() => answering(first) && callsHoldingExit().length === 2, 10_000);
    expect(await lookups.realCasePath('c:\\tools\\tool.exe')).toBe('C:\\Tools\\Tool.exe');
    await until(() => more.every(answering) && callsHoldingExit().length === 0, 10_000);
  }, 40_000);
});

describe('file lookups in a process of their own', () => {
  it('settles its stop in a process with nothing else to do, rather than leaving the process to end mid-stop', () => {
    // The thread is unref'd: were the wait for its end unref'd too, such a process would end with the stop
    // unsettled (exit code 13, "unsettled top-level await") and skip everything after it.
    const own = mkdtempSync(join(tmpdir(), 'portcullis-lookups-alone-'));
    const file = join(own, 'alone.exe');
    writeFileSync(file, 'MZ');
    const module = JSON.stringify(new URL('../../native/lookups/file-lookups.ts', import.meta.url).href);
    const script = `import { FileLookups } from ${module};
      const lookups = new FileLookups();
      console.log(typeof (await lookups.fileIdentity(${JSON.stringify(file)})));
      await lookups.stop();
      console.log('stopped');`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    rmSync(own, { recursive: true, force: true });
    expect(run.stdout.split('\n')).toEqual(['string', 'stopped', '']);
    expect(run.status).toBe(0);
  });
});

/**
 * A file whose opening does not return until `answering` is called for it: a FIFO, which blocks its reader until a
 * writer opens it, as CreateFileW blocks on a file of a network share whose server went away.
 */
function unanswering(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** Lets a reader blocked on `path` go on (call it again for each later open); true (for `until`). */
function answering(path: string): true {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // No reader waiting right now (ENXIO).
  }
  return true;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
