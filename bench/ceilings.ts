// Benchmark 1: the relay ceiling (koffi, foreign thread -> empty JS callback) and the decode ceiling (decodeNetEvent
// on the JS thread, no hop). Everything downstream is compared with these two.
import { decodeCeiling, relayCeiling, sameThreadDecodeRate } from './lib/ceilings';
import { fmt, machineLoad, printTable, writeResult } from './lib/report';

const loadBefore = machineLoad();
const relay = await relayCeiling(3_000);
const decode = decodeCeiling(1_500);
const sameThread = sameThreadDecodeRate(100_000);
const loadAfter = machineLoad();

printTable('1. Ceilings (FWPM_NET_EVENT5 built by the simulator)', [
  {
    path: 'relay: worker thread -> koffi -> empty JS callback',
    'events/s': fmt(relay.perSecond),
    'µs/event': fmt(relay.usPerEvent, 2),
    events: fmt(relay.events),
  },
  {
    path: 'decode: decodeNetEvent on the JS thread, no hop',
    'events/s': fmt(decode.perSecond),
    'µs/event': fmt(decode.usPerEvent, 2),
    events: fmt(decode.events),
  },
  {
    path: '(same-thread C -> JS callback + decode)',
    'events/s': fmt(sameThread.perSecond),
    'µs/event': fmt(sameThread.usPerEvent, 2),
    events: fmt(sameThread.events),
  },
]);
console.log(`  load average ${loadBefore.loadavg1m} -> ${loadAfter.loadavg1m} on ${loadAfter.cpus} CPUs`);
writeResult('1-ceilings', { relay, decode, sameThreadCallbackAndDecode: sameThread, loadBefore, loadAfter });
