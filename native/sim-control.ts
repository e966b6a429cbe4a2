// Typed bindings of the simulator's control API (native/sim/include/sim_control.h), for tests, demo and benchmarks.
import koffi from 'koffi';
import { WfpError } from './errors.js';
import type { WfpLibrary } from './loader.js';
import { FWP_ACTION } from './wfp/constants.js';

export const SIM_CONNECTION = koffi.struct('SIM_CONNECTION', {
  appPath: 'char16_t *',
  userSid: 'char16_t *',
  packageSid: 'char16_t *',
  localAddress: 'char *',
  remoteAddress: 'char *',
  scopeId: 'uint32_t',
  localPort: 'uint16_t',
  remotePort: 'uint16_t',
  protocol: 'uint8_t',
  direction: 'uint8_t',
});

export const SIM_TOKEN = koffi.struct('SIM_TOKEN', {
  groupSids: 'char16_t **',
  groupCount: 'uint32_t',
  impersonatedUserSid: 'char16_t *',
  impersonatedGroupSids: 'char16_t **',
  impersonatedGroupCount: 'uint32_t',
});

/** The token ALE checks an ALE_USER_ID condition against (sim_control.h SIM_TOKEN). */
export interface SimToken {
  /** Groups of the process token: the service SIDs of the services it hosts (SID type unrestricted/restricted). */
  groupSids?: string[];
  /** Set while the process impersonates another account (BITS downloading for a user): that token is checked. */
  impersonate?: { userSid: string; groupSids?: string[] };
}

export const SIM_EVENT_SPEC = koffi.struct('SIM_EVENT_SPEC', {
  type: 'uint32_t',
  flags: 'uint32_t',
  timeStamp: 'uint64_t',
  ipVersion: 'uint32_t',
  ipProtocol: 'uint8_t',
  localAddress: 'char *',
  remoteAddress: 'char *',
  localPort: 'uint16_t',
  remotePort: 'uint16_t',
  scopeId: 'uint32_t',
  appId: 'uint8_t *',
  appIdBytes: 'uint32_t',
  appIdDeclaredSize: 'uint32_t',
  userSid: 'char16_t *',
  packageSid: 'char16_t *',
  filterId: 'uint64_t',
  layerId: 'uint16_t',
  msFwpDirection: 'uint32_t',
  isLoopback: 'int32_t',
  reauthReason: 'uint32_t',
});

export interface SimConnection {
  appPath?: string;
  userSid?: string;
  packageSid?: string;
  localAddress?: string;
  remoteAddress?: string;
  scopeId?: number;
  localPort?: number;
  remotePort?: number;
  protocol?: number;
  direction: 'out' | 'in';
  /** Beyond `userSid` (the account the event reports): groups and impersonation. */
  token?: SimToken;
}

export interface SimEventSpec {
  type: number;
  flags: number;
  timeStamp?: bigint;
  ipVersion?: number;
  ipProtocol?: number;
  localAddress?: string;
  remoteAddress?: string;
  localPort?: number;
  remotePort?: number;
  scopeId?: number;
  /** Bytes of the blob buffer; appIdDeclaredSize defaults to their length. */
  appId?: Uint8Array;
  appIdDeclaredSize?: number;
  userSid?: string;
  packageSid?: string;
  filterId?: number;
  layerId?: number;
  msFwpDirection?: number;
  isLoopback?: boolean;
  reauthReason?: number;
}

export interface SimVerdict {
  action: 'permit' | 'block';
  /** The deciding filter; 0 when nothing matched (default permit). */
  filterId: number;
}

export interface SimControl {
  reset(): void;
  setElevated(elevated: boolean): void;
  setBfeUnavailable(attempts: number): void;
  mapDrive(drive: string, device: string | null): void;
  connect(connection: SimConnection): SimVerdict;
  connectRepeat(connection: SimConnection, count: number): SimVerdict;
  /** connectRepeat on a worker thread, for floods that must not hold the JS thread. */
  connectRepeatAsync(connection: SimConnection, count: number): Promise<SimVerdict>;
  injectEvent(spec: SimEventSpec): void;
  injectRaw(bytes: Uint8Array, version: 1 | 2 | 3 | 4 | 5): void;
  pendingEvents(): number;
  killSubscriptions(): void;
  addLostEvents(n: number): void;
  subscriptionCount(): number;
  /** Makes FwpmGetAppIdFromFileName0 fail with ERROR_FILE_NOT_FOUND for this DOS path (a deleted program). */
  setFileMissing(dosPath: string, missing: boolean): void;
  /** How many events the delivery queue holds before further ones are lost. */
  setQueueCapacity(capacity: number): void;
  playScenario(path: string, speed: number): void;
  stopScenario(): void;
  /** The next `times` calls of `functionName` (an fwpuclnt export) fail with `code`; code 0 cancels. */
  failNextCall(functionName: string, code: number, times?: number): void;
  /**
   * The Base Filtering Engine restarts: open sessions get RPC_S_SERVER_UNAVAILABLE, subscriptions die, persistent
   * objects stay (renumbered); the next `unavailableOpens` FwpmEngineOpen0 get EPT_S_NOT_REGISTERED.
   */
  restartEngine(unavailableOpens?: number): void;
  /** Another product's VPN kill switch at sublayer weight 0xFFFF (sim_control.h); hard: its blocks clear the right. */
  setKillSwitch(on: boolean, hard?: boolean): void;
}

const controls = new WeakMap<WfpLibrary, SimControl>();

/** The SIM_CONNECTION struct koffi encodes for sim_connect and the bench-only exports. */
export function connectionStruct(c: SimConnection): object {
  return {
    appPath: c.appPath ?? null,
    userSid: c.userSid ?? null,
    packageSid: c.packageSid ?? null,
    localAddress: c.localAddress ?? null,
    remoteAddress: c.remoteAddress ?? null,
    scopeId: c.scopeId ?? 0,
    localPort: c.localPort ?? 0,
    remotePort: c.remotePort ?? 0,
    protocol: c.protocol ?? 0,
    direction: c.direction === 'in' ? 1 : 0,
  };
}

function tokenStruct(t: SimToken): object {
  const groups = t.groupSids ?? [];
  const imp = t.impersonate?.groupSids ?? [];
  return {
    groupSids: groups.length > 0 ? groups : null,
    groupCount: groups.length,
    impersonatedUserSid: t.impersonate?.userSid ?? null,
    impersonatedGroupSids: imp.length > 0 ? imp : null,
    impersonatedGroupCount: imp.length,
  };
}

function verdict(func: string, result: number, filterId: unknown): SimVerdict {
  if (result === FWP_ACTION.PERMIT) return { action: 'permit', filterId: Number(filterId) };
  if (result === FWP_ACTION.BLOCK) return { action: 'block', filterId: Number(filterId) };
  throw new WfpError(func, result);
}

export function loadSimControl(lib: WfpLibrary): SimControl {
  if (lib.backend !== 'simulator') throw new Error('The simulator control API exists only in the simulator library.');
  const existing = controls.get(lib);
  if (existing) return existing;
  const h = lib.handle;
  const f = {
    reset: h.func('uint32_t sim_reset(void)'),
    setElevated: h.func('uint32_t sim_set_elevated(int32_t elevated)'),
    setBfeUnavailable: h.func('uint32_t sim_set_bfe_unavailable(uint32_t attempts)'),
    mapDrive: h.func('sim_map_drive', 'uint32_t', ['char16_t *', 'char16_t *']),
    connect: h.func('sim_connect', 'uint32_t', [koffi.pointer(SIM_CONNECTION), koffi.out(koffi.pointer('uint64_t'))]),
    connectAs: h.func('sim_connect_as', 'uint32_t', [
      koffi.pointer(SIM_CONNECTION),
      koffi.pointer(SIM_TOKEN),
      koffi.out(koffi.pointer('uint64_t')),
    ]),
    setKillSwitch: h.func('uint32_t sim_set_kill_switch(int32_t on, int32_t hard)'),
    connectRepeat: h.func('sim_connect_repeat', 'uint32_t', [
      koffi.pointer(SIM_CONNECTION),
      'uint32_t',
      koffi.out(koffi.pointer('uint64_t')),
    ]),
    injectEvent: h.func('sim_inject_event', 'uint32_t', [koffi.pointer(SIM_EVENT_SPEC)]),
    injectRaw: h.func('sim_inject_raw', 'uint32_t', ['uint8_t *', 'uint32_t', 'uint32_t']),
    pendingEvents: h.func('uint32_t sim_pending_events(void)'),
    killSubscriptions: h.func('uint32_t sim_kill_subscriptions(void)'),
    addLostEvents: h.func('uint32_t sim_add_lost_events(uint32_t n)'),
    subscriptionCount: h.func('uint32_t sim_subscription_count(void)'),
    setFileMissing: h.func('sim_set_file_missing', 'uint32_t', ['char16_t *', 'int32_t']),
    setQueueCapacity: h.func('uint32_t sim_set_queue_capacity(uint32_t capacity)'),
    playScenario: h.func('uint32_t sim_play_scenario(const char *path, double speed)'),
    stopScenario: h.func('uint32_t sim_stop_scenario(void)'),
    failNextCall: h.func('uint32_t sim_fail_next_call(const char *function, uint32_t code, uint32_t times)'),
    restartEngine: h.func('uint32_t sim_restart_engine(uint32_t unavailableOpens)'),
  };
  const ok = (func: string, code: number) => {
    if (code !== 0) throw new WfpError(func, code);
  };
  const control: SimControl = {
    reset: () => ok('sim_reset', f.reset()),
    setElevated: (e) => ok('sim_set_elevated', f.setElevated(e ? 1 : 0)),
    setBfeUnavailable: (n) => ok('sim_set_bfe_unavailable', f.setBfeUnavailable(n)),
    mapDrive: (drive, device) => ok('sim_map_drive', f.mapDrive(drive, device)),
    connect: (c) => {
      const id: unknown[] = [0];
      if (c.token) return verdict('sim_connect_as', f.connectAs(connectionStruct(c), tokenStruct(c.token), id), id[0]);
      return verdict('sim_connect', f.connect(connectionStruct(c), id), id[0]);
    },
    connectRepeat: (c, count) => {
      const id: unknown[] = [0];
      return verdict('sim_connect_repeat', f.connectRepeat(connectionStruct(c), count, id), id[0]);
    },
    connectRepeatAsync: (c, count) =>
      new Promise((resolve, reject) => {
        const id: unknown[] = [0];
        f.connectRepeat.async(connectionStruct(c), count, id, (err: unknown, result: number) => {
          if (err) reject(err);
          else {
            try {
              resolve(verdict('sim_connect_repeat', result, id[0]));
            } catch (e) {
              reject(e);
            }
          }
        });
      }),
    injectEvent: (s) =>
      ok(
        'sim_inject_event',
        f.injectEvent({
          type: s.type,
          flags: s.flags,
          timeStamp: s.timeStamp ?? 0n,
          ipVersion: s.ipVersion ?? 0,
          ipProtocol: s.ipProtocol ?? 0,
          localAddress: s.localAddress ?? null,
          remoteAddress: s.remoteAddress ?? null,
          localPort: s.localPort ?? 0,
          remotePort: s.remotePort ?? 0,
          scopeId: s.scopeId ?? 0,
          appId: s.appId && s.appId.length > 0 ? s.appId : null,
          appIdBytes: s.appId?.length ?? 0,
          appIdDeclaredSize: s.appIdDeclaredSize ?? s.appId?.length ?? 0,
          userSid: s.userSid ?? null,
          packageSid: s.packageSid ?? null,
          filterId: BigInt(s.filterId ?? 0),
          layerId: s.layerId ?? 0,
          msFwpDirection: s.msFwpDirection ?? 0,
          isLoopback: s.isLoopback ? 1 : 0,
          reauthReason: s.reauthReason ?? 0,
        }),
      ),
    injectRaw: (bytes, version) => ok('sim_inject_raw', f.injectRaw(bytes, bytes.length, version)),
    pendingEvents: () => f.pendingEvents() as number,
    killSubscriptions: () => ok('sim_kill_subscriptions', f.killSubscriptions()),
    addLostEvents: (n) => ok('sim_add_lost_events', f.addLostEvents(n)),
    subscriptionCount: () => f.subscriptionCount() as number,
    setFileMissing: (p, missing) => ok('sim_set_file_missing', f.setFileMissing(p, missing ? 1 : 0)),
    setQueueCapacity: (n) => ok('sim_set_queue_capacity', f.setQueueCapacity(n)),
    playScenario: (path, speed) => ok('sim_play_scenario', f.playScenario(path, speed)),
    stopScenario: () => ok('sim_stop_scenario', f.stopScenario()),
    failNextCall: (name, code, times = 1) => ok('sim_fail_next_call', f.failNextCall(name, code >>> 0, times)),
    restartEngine: (unavailableOpens = 0) => ok('sim_restart_engine', f.restartEngine(unavailableOpens)),
    setKillSwitch: (on, hard = false) => ok('sim_set_kill_switch', f.setKillSwitch(on ? 1 : 0, hard ? 1 : 0)),
  };
  controls.set(lib, control);
  return control;
}
