// The simulator's DNS-client controls (native/sim/src/etw.c): name a process's executable, and have the DNS client
// answer a query for a process (event 3008 to every session that enabled the provider). Not on Windows.
import koffi from 'koffi';
import { simulatorPath } from '../loader.js';

export interface DnsSimControl {
  /** The executable a process id runs (OpenProcess / QueryFullProcessImageNameW); null forgets the process. */
  setProcess(pid: number, path: string | null): void;
  /** The DNS client completes a query for `pid`; returns how many sessions received the event (0: nobody listens). */
  answer(pid: number, name: string, results: string, status?: number): number;
  /** Trace sessions running. */
  sessions(): number;
  reset(): void;
}

export function loadDnsSimControl(libraryPath = simulatorPath()): DnsSimControl {
  if (process.platform === 'win32') throw new Error('the DNS client simulator is not built for Windows');
  const h = koffi.load(libraryPath);
  const f = {
    setProcess: h.func('sim_set_process', 'uint32_t', ['uint32_t', 'char16_t *']),
    answer: h.func('sim_dns_answer', 'uint32_t', ['uint32_t', 'char16_t *', 'char16_t *', 'uint32_t']),
    sessions: h.func('uint32_t sim_etw_sessions(void)'),
    reset: h.func('uint32_t sim_etw_reset(void)'),
  };
  return {
    setProcess: (pid, path) => void f.setProcess(pid, path),
    answer: (pid, name, results, status = 0) => f.answer(pid, name, results, status) as number,
    sessions: () => f.sessions() as number,
    reset: () => void f.reset(),
  };
}
