// The simulator itself, driven through its raw exports with koffi: arbitration, transactions, dynamic
// sessions and event delivery behave as WFP does, independently of the native/ wrappers.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const libPath =
  process.env.PORTCULLIS_SIM_LIB ??
  join(root, 'native', 'sim', 'build', process.platform === 'darwin' ? 'libwfpsim.dylib' : 'libwfpsim.so');

const BLOCK = 0x1001;
const PERMIT = 0x1002;
const MPSSVC_WF = 'decc16ca-3f33-4346-be1e-8fb4ae0f3d62';
const CONNECT_V4 = 'c38d57d1-05a7-4c33-904f-7fbceee60e82';
const APP_ID = 'd78e1e87-8644-4ea5-9437-d809ecefc971';
const OUR_PROVIDER = '5d1c4e0a-7f39-4c65-9b0e-2b6f3f8a1c01';
const OUR_SUBLAYER = '5d1c4e0a-7f39-4c65-9b0e-2b6f3f8a1c02';

interface Guid {
  Data1: number;
  Data2: number;
  Data3: number;
  Data4: number[];
}

function guid(text: string): Guid {
  const h = text.replace(/-/g, '');
  const bytes = (from: number, to: number) =>
    h
      .slice(from, to)
      .match(/../g)!
      .map((b) => parseInt(b, 16));
  return {
    Data1: parseInt(h.slice(0, 8), 16),
    Data2: parseInt(h.slice(8, 12), 16),
    Data3: parseInt(h.slice(12, 16), 16),
    Data4: bytes(16, 32),
  };
}

const zeroGuid = guid('00000000-0000-0000-0000-000000000000');

// koffi declarations, written here from the SDK field lists (the production ones live in native/wfp).
const GUID = koffi.struct('SimTestGUID', {
  Data1: 'uint32',
  Data2: 'uint16',
  Data3: 'uint16',
  Data4: koffi.array('uint8', 8),
});
const BLOB = koffi.struct('SimTestBlob', { size: 'uint32', data: 'void *' });
const DISPLAY = koffi.struct('SimTestDisplay', { name: 'str16', description: 'str16' });
koffi.struct('SimTestSession', {
  sessionKey: GUID,
  displayData: DISPLAY,
  flags: 'uint32',
  txnWaitTimeoutInMSec: 'uint32',
  processId: 'uint32',
  sid: 'void *',
  username: 'str16',
  kernelMode: 'int32',
});
koffi.struct('SimTestProvider', {
  providerKey: GUID,
  displayData: DISPLAY,
  flags: 'uint32',
  providerData: BLOB,
  serviceName: 'str16',
});
koffi.struct('SimTestSublayer', {
  subLayerKey: GUID,
  displayData: DISPLAY,
  flags: 'uint32',
  providerKey: 'void *',
  providerData: BLOB,
  weight: 'uint16',
});
const VALUE = koffi.struct('SimTestValue', { type: 'uint32', value: 'uint64' });
const CONDITION = koffi.struct('SimTestCondition', { fieldKey: GUID, matchType: 'uint32', conditionValue: VALUE });
koffi.struct('SimTestFilter', {
  filterKey: GUID,
  displayData: DISPLAY,
  flags: 'uint32',
  providerKey: 'void *',
  providerData: BLOB,
  layerKey: GUID,
  subLayerKey: GUID,
  weight: VALUE,
  numFilterConditions: 'uint32',
  filterCondition: 'void *',
  action: koffi.struct('SimTestAction', { type: 'uint32', filterType: GUID }),
  context: koffi.array('uint8', 16),
  reserved: 'void *',
  filterId: 'uint64',
  effectiveWeight: VALUE,
});
koffi.struct('SimTestSubscription', { enumTemplate: 'void *', flags: 'uint32', sessionKey: GUID });
koffi.struct('SimTestConnection', {
  appPath: 'str16',
  userSid: 'str16',
  packageSid: 'str16',
  localAddress: 'str',
  remoteAddress: 'str',
  scopeId: 'uint32',
  localPort: 'uint16',
  remotePort: 'uint16',
  protocol: 'uint8',
  direction: 'uint8',
});
const EventCallback = koffi.proto('void SimTestEventCallback(void *context, const void *event)');

let lib: LibraryHandle;
let api: Record<string, ReturnType<LibraryHandle['func']>>;

beforeAll(() => {
  if (!existsSync(libPath))
    execFileSync(process.execPath, [join(root, 'scripts', 'build-sim.mjs')], { stdio: 'inherit' });
  lib = koffi.load(libPath);
  const f = (decl: string) => lib.func(decl);
  api = {
    open: f(
      'uint32 FwpmEngineOpen0(void *server, uint32 authn, void *auth, SimTestSession *session, _Out_ void **engine)',
    ),
    close: f('uint32 FwpmEngineClose0(void *engine)'),
    setOption: f('uint32 FwpmEngineSetOption0(void *engine, uint32 option, SimTestValue *value)'),
    begin: f('uint32 FwpmTransactionBegin0(void *engine, uint32 flags)'),
    commit: f('uint32 FwpmTransactionCommit0(void *engine)'),
    abort: f('uint32 FwpmTransactionAbort0(void *engine)'),
    providerAdd: f('uint32 FwpmProviderAdd0(void *engine, SimTestProvider *provider, void *sd)'),
    sublayerAdd: f('uint32 FwpmSubLayerAdd0(void *engine, SimTestSublayer *sublayer, void *sd)'),
    sublayerGet: f('uint32 FwpmSubLayerGetByKey0(void *engine, SimTestGUID *key, _Out_ void **sublayer)'),
    filterAdd: f('uint32 FwpmFilterAdd0(void *engine, SimTestFilter *filter, void *sd, _Out_ uint64 *id)'),
    filterGet: f('uint32 FwpmFilterGetById0(void *engine, uint64 id, _Out_ void **filter)'),
    free: f('void FwpmFreeMemory0(_Inout_ void **p)'),
    appId: f('uint32 FwpmGetAppIdFromFileName0(str16 path, _Out_ void **blob)'),
    subscribe4: f(
      'uint32 FwpmNetEventSubscribe4(void *e, SimTestSubscription *s, SimTestEventCallback *cb, void *ctx, _Out_ void **h)',
    ),
    unsubscribe: f('uint32 FwpmNetEventUnsubscribe0(void *engine, void *handle)'),
    connect: f('uint32 sim_connect(SimTestConnection *c, _Out_ uint64 *filterId)'),
    connectRepeat: f('uint32 sim_connect_repeat(SimTestConnection *c, uint32 count, _Out_ uint64 *filterId)'),
    reset: f('uint32 sim_reset()'),
    pending: f('uint32 sim_pending_events()'),
    subscriptions: f('uint32 sim_subscription_count()'),
  };
});

beforeEach(() => {
  api.reset!();
});

afterAll(() => {
  api.reset!();
});

const call = (name: string, ...args: unknown[]) => api[name]!(...args) as number;

function openEngine(dynamic = false): unknown {
  const out: unknown[] = [null];
  const session = {
    sessionKey: zeroGuid,
    displayData: { name: 'sim test', description: null },
    flags: dynamic ? 1 : 0,
    txnWaitTimeoutInMSec: 0,
    processId: 0,
    sid: null,
    username: null,
    kernelMode: 0,
  };
  expect(call('open', null, 0xffffffff, null, session, out)).toBe(0);
  return out[0];
}

function attempt(app: string, remote = '198.51.100.7', remotePort = 443, direction = 0) {
  const id = [0n];
  const verdict = call('connect', connection(app, remote, remotePort, direction), id);
  return { verdict, filterId: BigInt(id[0]!) };
}

function connection(app: string, remote = '198.51.100.7', remotePort = 443, direction = 0) {
  return {
    appPath: app,
    userSid: 'S-1-5-21-1-2-3-1001',
    packageSid: null,
    localAddress: '192.0.2.10',
    remoteAddress: remote,
    scopeId: 0,
    localPort: 50000,
    remotePort,
    protocol: 6,
    direction,
  };
}

function providerKeyOf(engine: unknown, filterId: bigint): string {
  const out: unknown[] = [null];
  expect(call('filterGet', engine, filterId, out)).toBe(0);
  const keyPtr = koffi.decode(out[0], 40, 'void *');
  const key = koffi.decode(keyPtr, GUID) as Guid;
  api.free!(out);
  const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  const data4 = Array.from(key.Data4);
  return [
    key.Data1.toString(16).padStart(8, '0'),
    key.Data2.toString(16).padStart(4, '0'),
    key.Data3.toString(16).padStart(4, '0'),
    hex(data4.slice(0, 2)),
    hex(data4.slice(2)),
  ].join('-');
}

function addOurs(engine: unknown, sublayerWeight = 0xffff) {
  const provider = {
    providerKey: guid(OUR_PROVIDER),
    displayData: { name: 'Portcullis', description: null },
    flags: 0,
    providerData: { size: 0, data: null },
    serviceName: null,
  };
  expect(call('providerAdd', engine, provider, null)).toBe(0);
  const keyBuf = Buffer.alloc(16);
  koffi.encode(keyBuf, GUID, guid(OUR_PROVIDER));
  const sublayer = {
    subLayerKey: guid(OUR_SUBLAYER),
    displayData: { name: 'Portcullis rules', description: null },
    flags: 0,
    providerKey: keyBuf,
    providerData: { size: 0, data: null },
    weight: sublayerWeight,
  };
  expect(call('sublayerAdd', engine, sublayer, null)).toBe(0);
  return keyBuf;
}

function addAppFilter(engine: unknown, providerKey: Buffer, app: string, action: number, hard: boolean): bigint {
  const blob: unknown[] = [null];
  expect(call('appId', app, blob)).toBe(0);
  const condition = Buffer.alloc(40);
  koffi.encode(condition, CONDITION, { fieldKey: guid(APP_ID), matchType: 0, conditionValue: { type: 12, value: 0n } });
  condition.writeBigUInt64LE(BigInt(koffi.address(blob[0])), 32);
  const filter = {
    filterKey: zeroGuid,
    displayData: { name: `${action === BLOCK ? 'block' : 'permit'} ${app}`, description: null },
    flags: hard ? 0x8 : 0,
    providerKey,
    providerData: { size: 0, data: null },
    layerKey: guid(CONNECT_V4),
    subLayerKey: guid(OUR_SUBLAYER),
    weight: { type: 0, value: 0n },
    numFilterConditions: 1,
    filterCondition: condition,
    action: { type: action, filterType: zeroGuid },
    context: new Array(16).fill(0),
    reserved: null,
    filterId: 0n,
    effectiveWeight: { type: 0, value: 0n },
  };
  const id = [0n];
  expect(call('filterAdd', engine, filter, null, id)).toBe(0);
  api.free!(blob);
  return BigInt(id[0]!);
}

describe('arbitration', () => {
  it('blocks C:\\Apps\\tool.exe with a Windows Defender Firewall filter and permits other apps', () => {
    const engine = openEngine();
    const tool = attempt('C:\\Apps\\tool.exe');
    expect(tool.verdict).toBe(BLOCK);
    expect(providerKeyOf(engine, tool.filterId)).toBe(MPSSVC_WF);
    expect(attempt('C:\\Program Files\\Other\\other.exe')).toEqual({ verdict: PERMIT, filterId: 0n });
    call('close', engine);
  });

  it('lets a hard permit in a higher sublayer override the baseline block, but not a soft one', () => {
    let engine = openEngine();
    addAppFilter(engine, addOurs(engine), 'C:\\Apps\\tool.exe', PERMIT, false);
    const stillBlocked = attempt('C:\\Apps\\tool.exe');
    expect(stillBlocked.verdict).toBe(BLOCK);
    expect(providerKeyOf(engine, stillBlocked.filterId)).toBe(MPSSVC_WF);
    call('close', engine);

    api.reset!();
    engine = openEngine();
    // FwpmGetAppIdFromFileName0 lower-cases, so the path's case does not matter
    const hard = addAppFilter(engine, addOurs(engine), 'C:\\Apps\\TOOL.exe', PERMIT, true);
    expect(attempt('C:\\Apps\\tool.exe')).toEqual({ verdict: PERMIT, filterId: hard });
    call('close', engine);
  });

  it('attributes a block in our sublayer to our filter before the baseline sees the attempt', () => {
    const engine = openEngine();
    const provider = addOurs(engine);
    const ours = addAppFilter(engine, provider, 'C:\\Apps\\tool.exe', BLOCK, false);
    expect(attempt('C:\\Apps\\tool.exe')).toEqual({ verdict: BLOCK, filterId: ours });
    call('close', engine);
  });

  it('blocks unsolicited inbound attempts by default, as Windows Defender Firewall does', () => {
    const engine = openEngine();
    const inbound = attempt('C:\\Program Files\\Other\\other.exe', '198.51.100.9', 50000, 1);
    expect(inbound.verdict).toBe(BLOCK);
    expect(providerKeyOf(engine, inbound.filterId)).toBe(MPSSVC_WF);
    call('close', engine);
  });
});

describe('sessions and transactions', () => {
  it('leaves no trace of an aborted transaction and hides uncommitted filters from classification', () => {
    const engine = openEngine();
    expect(call('begin', engine, 0)).toBe(0);
    const provider = addOurs(engine);
    const id = addAppFilter(engine, provider, 'C:\\Apps\\other.exe', BLOCK, true);
    expect(attempt('C:\\Apps\\other.exe').verdict).toBe(PERMIT);
    expect(call('abort', engine)).toBe(0);
    const out: unknown[] = [null];
    expect(call('filterGet', engine, id, out)).toBe(0x80320003); // FWP_E_FILTER_NOT_FOUND
    expect(call('sublayerGet', engine, guid(OUR_SUBLAYER), out)).toBe(0x80320007); // FWP_E_SUBLAYER_NOT_FOUND

    expect(call('begin', engine, 0)).toBe(0);
    const provider2 = addOurs(engine);
    const kept = addAppFilter(engine, provider2, 'C:\\Apps\\other.exe', BLOCK, true);
    expect(call('commit', engine)).toBe(0);
    expect(attempt('C:\\Apps\\other.exe')).toEqual({ verdict: BLOCK, filterId: kept });
    call('close', engine);
  });

  it("removes a dynamic session's objects when it closes and refuses options inside it", () => {
    const dynamic = openEngine(true);
    const provider = addOurs(dynamic);
    addAppFilter(dynamic, provider, 'C:\\Apps\\other.exe', BLOCK, true);
    expect(attempt('C:\\Apps\\other.exe').verdict).toBe(BLOCK);
    expect(call('setOption', dynamic, 1, { type: 3, value: 0x10n })).toBe(0x8032000b);
    expect(call('close', dynamic)).toBe(0);
    expect(attempt('C:\\Apps\\other.exe')).toEqual({ verdict: PERMIT, filterId: 0n });
    const engine = openEngine();
    const out: unknown[] = [null];
    expect(call('sublayerGet', engine, guid(OUR_SUBLAYER), out)).toBe(0x80320007);
    call('close', engine);
  });

  it('rejects a duplicate key with FWP_E_ALREADY_EXISTS', () => {
    const engine = openEngine();
    addOurs(engine);
    const provider = {
      providerKey: guid(OUR_PROVIDER),
      displayData: { name: 'again', description: null },
      flags: 0,
      providerData: { size: 0, data: null },
      serviceName: null,
    };
    expect(call('providerAdd', engine, provider, null)).toBe(0x80320009);
    call('close', engine);
  });
});

describe('net events', () => {
  it('delivers a drop from its own thread as FWPM_NET_EVENT5 and stops cleanly under a flood', async () => {
    const engine = openEngine();
    const seen: { type: number; flags: number; remote: number; app: string; filterId: bigint; direction: number }[] =
      [];
    const callback = koffi.register((_ctx: unknown, ev: unknown) => {
      const appSize = koffi.decode(ev, 64, 'uint32') as number;
      const appPtr = koffi.decode(ev, 72, 'void *');
      const detail = koffi.decode(ev, 144, 'void *');
      seen.push({
        type: koffi.decode(ev, 136, 'uint32') as number,
        flags: koffi.decode(ev, 8, 'uint32') as number,
        remote: koffi.decode(ev, 36, 'uint32') as number,
        app: (koffi.decode(appPtr, 'char16_t', appSize / 2) as string).replace(/\0+$/, ''),
        filterId: BigInt(koffi.decode(detail, 0, 'uint64') as number | bigint),
        direction: koffi.decode(detail, 24, 'uint32') as number,
      });
    }, koffi.pointer(EventCallback));
    const handle: unknown[] = [null];
    expect(
      call('subscribe4', engine, { enumTemplate: null, flags: 0, sessionKey: zeroGuid }, callback, null, handle),
    ).toBe(0);

    const tool = attempt('C:\\Apps\\tool.exe');
    const start = Date.now();
    while (seen.length < 1 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 5));
    expect(seen[0]).toEqual({
      type: 3,
      flags: 0x17f, // ip version, protocol, both addresses, both ports, app id, user id
      remote: 0xc6336407, // 198.51.100.7, host order
      app: '\\device\\harddiskvolume3\\apps\\tool.exe',
      filterId: tool.filterId,
      direction: 0x3901,
    });

    call('connectRepeat', connection('C:\\Apps\\tool.exe'), 10_000, [0n]);
    expect(call('pending')).toBeGreaterThan(0);
    const rc = await new Promise<number>((resolve, reject) =>
      api.unsubscribe!.async(engine, handle[0], (err: unknown, res: number) => (err ? reject(err) : resolve(res))),
    );
    expect(rc).toBe(0);
    const countAtStop = seen.length;
    koffi.unregister(callback);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(countAtStop);
    expect(call('subscriptions')).toBe(0);
    call('close', engine);
  });
});
