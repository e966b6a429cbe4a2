// The file-lookup thread: signature checks, real-case paths and file identities, one after another, with direct
// koffi calls. On the main thread each of those calls is a hop through libuv's pool and a wake-up of the thread the
// event path runs on; here a batch of lookups costs one message each way (native/lookups/file-lookups.ts).
// Started only by FileLookups, which hands it the library to load: the environment is not trusted here either.
import { parentPort, workerData } from 'node:worker_threads';
import { fileIdentityHere } from '../files/identity.js';
import { loadFiles, realCasePath, type FilesLibrary } from '../files/real-case.js';
import { distrustEnvironment } from '../loader.js';
import { callHere } from '../native-call.js';
import { loadTrust, type TrustLibrary } from '../wintrust/functions.js';
import { verifyFileSignature } from '../wintrust/verify.js';
import {
  SHARED_IN_CALL,
  SHARED_STOPPING,
  type LookupAnswer,
  type LookupMessage,
  type LookupRequest,
  type LookupThreadData,
} from './protocol.js';

distrustEnvironment();
const { libraryPath, shared } = workerData as LookupThreadData;
const options = libraryPath ? { libraryPath } : {};
let files: FilesLibrary | undefined;
let trust: TrustLibrary | undefined;

/** Answers go back at the latest this long after the first one waiting: a big file's hash must not hold the rest. */
const ANSWER_WITHIN_MS = 100;

async function answer(request: LookupRequest): Promise<unknown> {
  switch (request.op) {
    case 'realCase':
      return realCasePath(request.path, (files ??= loadFiles(options)), Date.now(), callHere);
    case 'signature':
      return verifyFileSignature(request.path, (trust ??= loadTrust(options)), callHere);
    case 'identity':
      return fileIdentityHere(request.path);
  }
}

// Every call above is direct, so one batch runs to its end before the next message is taken: batches never overlap.
// Asked to stop, the thread closes its port and ends by itself between calls: ended from outside (Worker.terminate)
// while koffi was in a call or defining its types, the process aborted ("Error::ThrowAsJavaScriptException
// napi_throw", seen when a session closed while this thread was starting).
parentPort?.on('message', async (message: LookupMessage) => {
  if ('stop' in message) {
    parentPort?.close();
    return;
  }
  let answers: LookupAnswer[] = [];
  let since = 0;
  for (const request of message.requests) {
    // Asked to end (stopped, or given up on because a call of this batch did not return): the main thread no longer
    // waits for this thread's answers; the rest of the batch is refused there or asked again elsewhere.
    if (Atomics.load(shared, SHARED_STOPPING) === 1) break;
    Atomics.store(shared, SHARED_IN_CALL, request.id);
    try {
      answers.push({ id: request.id, value: await answer(request) });
    } catch (e) {
      answers.push({ id: request.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      Atomics.store(shared, SHARED_IN_CALL, 0);
    }
    since ||= performance.now();
    if (performance.now() - since >= ANSWER_WITHIN_MS) {
      parentPort?.postMessage({ answers });
      answers = [];
      since = 0;
    }
  }
  if (answers.length > 0) parentPort?.postMessage({ answers });
});
