// CPU time of the calling thread, for benchmarks that must tell our work from the simulator's. process.cpuUsage()
// adds up every thread of the process, so CPU read around a call on the JS thread also counts what the other
// threads (the simulator's delivery thread, V8's garbage-collection helpers) did meanwhile; the calling thread's
// own clock does not. Linux (where the benchmarks run): clock_gettime(CLOCK_THREAD_CPUTIME_ID) through koffi.
import koffi from 'koffi';

const CLOCK_THREAD_CPUTIME_ID = 3;
const clockGettime = koffi.load('libc.so.6').func('int clock_gettime(int clock, _Out_ uint8_t *ts)');
const ts = Buffer.alloc(16);

/** CPU time of the calling thread so far, in milliseconds (nanosecond resolution). */
export function threadCpuMs(): number {
  if (clockGettime(CLOCK_THREAD_CPUTIME_ID, ts) !== 0) throw new Error('clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed');
  return Number(ts.readBigInt64LE(0)) * 1e3 + Number(ts.readBigInt64LE(8)) / 1e6;
}

/** CPU time of the whole process (every thread) so far, in milliseconds. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
