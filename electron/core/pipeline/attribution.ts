// "Why was this blocked?": the filter that dropped a packet, looked up once per filter id and cached (bounded).
// Our own filters are known without asking WFP, by the ids the enforcer applied.
import type { FilterInfo } from '../../../native/api';
import type { BlockedBy } from '../model';
import type { TagSource } from '../enforcement/filter-plan';
import { LruMap } from '../util/bounded';
import type { LogSlot } from './activity-log';
import { FWPM_PROVIDER_MPSSVC, sameGuid } from '../../../native/wfp/guids';

export interface Attribution {
  readonly blockedBy: BlockedBy;
  readonly filterName?: string;
  /** For our own filters: the rule, essential or default block behind it. */
  readonly source?: TagSource;
  /**
   * The filter is one of Windows Defender Firewall's own rules (provider MPSSVC_WF): the only drops an allow may be
   * made to override, on that rule, when the user asks. Service hardening and app isolation (MPSSVC_WSH,
   * APP_ISOLATION) and other products' filters never are.
   */
  readonly windowsFirewallRule?: true;
  /** Where the activity log keeps the number of this filter's name between entries (no lookup per event). */
  readonly logSlot?: LogSlot;
}

const UNKNOWN: Attribution = { blockedBy: 'unknown' };

export class FilterAttribution {
  private readonly cache = new LruMap<number, Attribution>(4_096);

  constructor(
    private readonly lookupFilter: (filterId: number) => FilterInfo | undefined,
    private readonly ourSource: (filterId: number) => TagSource | undefined,
  ) {}

  of(filterId: number | undefined): Attribution {
    if (filterId === undefined || filterId === 0) return UNKNOWN;
    const cached = this.cache.get(filterId);
    if (cached) return cached;
    const source = this.ourSource(filterId);
    let info: FilterInfo | undefined;
    try {
      info = this.lookupFilter(filterId);
    } catch {
      info = undefined;
    }
    const attribution: Attribution = source
      ? { blockedBy: 'portcullis', ...(info ? { filterName: info.name } : {}), source, logSlot: { logId: 0 } }
      : info
        ? {
            blockedBy: info.owner,
            filterName: info.name,
            logSlot: { logId: 0 },
            ...(info.providerKey && sameGuid(info.providerKey, FWPM_PROVIDER_MPSSVC.WF)
              ? { windowsFirewallRule: true as const }
              : {}),
          }
        : UNKNOWN;
    // An unknown id may be one of ours applied a moment ago; do not remember "unknown".
    if (attribution !== UNKNOWN) this.cache.set(filterId, attribution);
    return attribution;
  }

  /** Every runtime filter id changes when the filtering engine restarts: forget them all. */
  forgetAll(): void {
    this.cache.clear();
  }

  /** Our filter ids change with every reconcile; forget what was said about them. */
  forgetOurs(): void {
    for (const [id, a] of [...this.cache.entries()]) if (a.source) this.cache.delete(id);
  }
}
