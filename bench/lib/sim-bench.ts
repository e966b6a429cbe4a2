// Binding of the simulator's benchmark-only export (native/sim/include/sim_bench.h).
import koffi from 'koffi';
import { loadWfp, type NetEventVersion, type SimConnection } from '../../native/index';
import { connectionStruct, SIM_CONNECTION } from '../../native/sim-control';
import { FWPM_NET_EVENT_CALLBACK } from '../../native/wfp/functions';

export interface SimBench {
  /** Calls `callback` `count` times with one event, on this thread (no hop). */
  deliverHere(
    connection: SimConnection,
    filterId: number,
    version: NetEventVersion,
    callback: unknown,
    count: number,
  ): void;
  /** The same from one of koffi's worker threads: every call is relayed to the JS thread. */
  deliverFromThread(
    connection: SimConnection,
    filterId: number,
    version: NetEventVersion,
    callback: unknown,
    count: number,
  ): Promise<void>;
  /** koffi.register for a (context, event) callback. */
  register(fn: (context: unknown, event: unknown) => void): unknown;
  unregister(callback: unknown): void;
  /**
   * Starts making `attempts` (each `repeat` times in a row) on a thread of the simulator's own, `ratePerSecond` a
   * second, queued every `tickMs`: the network's work, kept off the JS thread as it is off our process on Windows.
   */
  startFlood(attempts: readonly FloodAttempt[], ratePerSecond: number, tickMs: number): void;
  /** Stops it: attempts made, how many were not blocked, and the CPU its thread used (ms). */
  stopFlood(): { made: number; notBlocked: number; cpuMs: number };
}

export interface FloodAttempt {
  readonly connection: SimConnection;
  readonly repeat: number;
}

export function loadSimBench(): SimBench {
  const lib = loadWfp();
  if (lib.backend !== 'simulator') throw new Error('The benchmarks run against the simulator library.');
  const deliver = lib.handle.func('sim_bench_deliver', 'uint32_t', [
    koffi.pointer(SIM_CONNECTION),
    'uint64_t',
    'uint32_t',
    koffi.pointer(FWPM_NET_EVENT_CALLBACK),
    'void *',
    'uint32_t',
  ]);
  const floodStart = lib.handle.func('sim_bench_flood_start', 'uint32_t', [
    koffi.pointer(SIM_CONNECTION),
    'uint32_t *',
    'uint32_t',
    'uint32_t',
    'uint32_t',
  ]);
  const floodStop = lib.handle.func('sim_bench_flood_stop', 'uint32_t', [
    koffi.out(koffi.pointer('uint64_t')),
    koffi.out(koffi.pointer('uint64_t')),
    koffi.out(koffi.pointer('double')),
  ]);
  const check = (code: number, call = 'sim_bench_deliver') => {
    if (code !== 0) throw new Error(`${call} failed with ${code}`);
  };
  return {
    deliverHere: (c, filterId, version, callback, count) =>
      check(deliver(connectionStruct(c), BigInt(filterId), version, callback, null, count) as number),
    deliverFromThread: (c, filterId, version, callback, count) =>
      new Promise((resolve, reject) => {
        deliver.async(
          connectionStruct(c),
          BigInt(filterId),
          version,
          callback,
          null,
          count,
          (err: unknown, code: number) => {
            if (err) reject(err instanceof Error ? err : new Error(String(err)));
            else if (code !== 0) reject(new Error(`sim_bench_deliver failed with ${code}`));
            else resolve();
          },
        );
      }),
    startFlood: (attempts, ratePerSecond, tickMs) =>
      check(
        floodStart(
          attempts.map((a) => connectionStruct(a.connection)),
          Uint32Array.from(attempts, (a) => a.repeat),
          attempts.length,
          ratePerSecond,
          tickMs,
        ) as number,
        'sim_bench_flood_start',
      ),
    stopFlood: () => {
      const made = [0n];
      const notBlocked = [0n];
      const cpuMs = [0];
      check(floodStop(made, notBlocked, cpuMs) as number, 'sim_bench_flood_stop');
      return { made: Number(made[0]), notBlocked: Number(notBlocked[0]), cpuMs: cpuMs[0]! };
    },
    register: (fn) => koffi.register(fn, koffi.pointer(FWPM_NET_EVENT_CALLBACK)),
    unregister: (callback) => koffi.unregister(callback as bigint),
  };
}

/** A typical blocked outbound connection. */
export const TYPICAL_ATTEMPT: SimConnection = {
  appPath: 'C:\\Program Files\\Contoso\\Telemetry\\telemetry-agent.exe',
  localAddress: '192.168.1.10',
  remoteAddress: '203.0.113.10',
  localPort: 50_000,
  remotePort: 443,
  protocol: 6,
  direction: 'out',
};
