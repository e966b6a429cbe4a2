// A realistic mix of blocked attempts: many apps of very different activity (Zipf popularity), each with its own
// set of endpoints (popular apps talk to many hosts), services under svchost with their account SIDs, some IPv6,
// mostly outbound, TCP retries as runs of 1-3, and new apps arriving all the time. Deterministic (seeded), so runs
// compare; every pick is a fresh SimConnection, so nothing downstream can key on object identity.
import type { SimConnection } from '../../native/index';

export interface MixOptions {
  /** Apps known from the start (the population the warm phase draws from). */
  readonly apps: number;
  /** Largest number of endpoints one app uses; app i has about max / (1 + rank / 40) of them. */
  readonly maxEndpointsPerApp: number;
  /** Share of attempts that come from an app never seen before. */
  readonly newAppShare: number;
  /** Share of outbound attempts (default 0.8); the simulator's baseline blocks only unsolicited inbound by itself. */
  readonly outboundShare?: number;
  readonly seed?: number;
}

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf(s = 1) over [0, n) by inverse CDF on the harmonic numbers' approximation. */
function zipf(random: () => number, n: number): number {
  const hn = Math.log(n) + 0.5772156649;
  const k = Math.floor(Math.exp(random() * hn - 0.5772156649));
  return Math.min(n - 1, Math.max(0, k - 1));
}

const SERVICE_ACCOUNTS = ['S-1-5-18', 'S-1-5-19', 'S-1-5-20'];
const PORTS = [443, 443, 443, 80, 53, 123, 8080, 5222, 3478, 993];

export class EventMix {
  private readonly random: () => number;
  private nextNewApp: number;

  constructor(private readonly options: MixOptions) {
    this.random = prng(options.seed ?? 1);
    this.nextNewApp = options.apps;
  }

  /** Distinct apps seen so far could be at most this many. */
  get appsCreated(): number {
    return this.nextNewApp;
  }

  endpointsOf(app: number): number {
    return Math.max(1, Math.floor(this.options.maxEndpointsPerApp / (1 + app / 40)));
  }

  /** The next attempt and how many times it repeats back to back (TCP retries). */
  next(): { connection: SimConnection; repeat: number } {
    const r = this.random;
    const app = r() < this.options.newAppShare ? this.nextNewApp++ : zipf(r, this.options.apps);
    const endpoint = Math.floor(r() * this.endpointsOf(app));
    return {
      connection: this.connection(app, endpoint, r() < (this.options.outboundShare ?? 0.8)),
      repeat: r() < 0.3 ? 3 : 1,
    };
  }

  connection(app: number, endpoint: number, outbound: boolean): SimConnection {
    const svchost = app % 17 === 3;
    const v6 = (app + endpoint) % 9 === 0;
    const host = (app * 131 + endpoint * 7919) % 65_521;
    const remoteAddress = v6
      ? `2001:db8:${(app & 0xfff).toString(16)}::${(endpoint + 1).toString(16)}`
      : `198.${18 + (host >> 14)}.${(host >> 6) & 255}.${1 + (host & 63) * 3 + (endpoint % 3)}`;
    const appPath = svchost
      ? 'C:\\Windows\\System32\\svchost.exe'
      : `C:\\Program Files\\Vendor ${app % 97}\\Product ${app}\\bin\\product${app}.exe`;
    const port = PORTS[(app + endpoint) % PORTS.length]!;
    return {
      appPath,
      ...(svchost ? { userSid: SERVICE_ACCOUNTS[app % SERVICE_ACCOUNTS.length]! } : {}),
      localAddress: v6 ? '2001:db8::10' : '192.168.1.10',
      remoteAddress,
      localPort: outbound ? 49_152 + ((app * 31 + endpoint) % 16_000) : port,
      remotePort: outbound ? port : 49_152 + ((app * 31 + endpoint) % 16_000),
      protocol: port === 53 || port === 123 || port === 3478 ? 17 : 6,
      direction: outbound ? 'out' : 'in',
    };
  }
}
