// The endpoint part of an app's row. A busy app's row goes out every second or so, and its up to 32 endpoints were
// most of the row's bytes (and of a flood's batches) though they rarely change but in their counts and order. So a
// delta row carries the whole list, named, only when an endpoint came or went or a name changed since the app's last
// row that carried it; otherwise it carries only the order (each endpoint's position in that list), and the window
// reorders the list it holds. Counts and last-seen times, which change on every attempt, reach the one place that
// shows them (the detail panel) through `apps.endpoints`.
//
// Each endpoint remembers where that list put it and the name it had there (MutableEndpoint.rowSlot, rowName), so
// checking costs one name lookup per endpoint and builds nothing. The list is versioned (AppRecord.endpointsVersion,
// numbers only grow), so the window applies an order only to the list it refers to.
import type { AppRecord, RowEndpoints } from '../apps/app-record';
import type { Endpoint } from '../model';

export type NameLookup = ((address: string) => string | undefined) | undefined;

/**
 * The order of the app's endpoints as positions in its last listed row, newest first; undefined when an endpoint
 * is not in that list or its name changed since (then the whole list must go). O(endpoints), no allocation but the
 * array.
 */
function orderAgainstListed(record: AppRecord, lookedUp: NameLookup, reverse: NameLookup): number[] | undefined {
  if (record.endpointsVersion === 0) return undefined;
  const order = new Array<number>(record.endpoints.size);
  let i = 0;
  for (let e = record.endpoints.last; e; e = e.older) {
    const slot = e.rowSlot;
    if (slot < 0) return undefined;
    // Named as EndpointSet.newestFirst names it: the looked-up domain first, else the reverse name (slot bit 1).
    const looked = lookedUp?.(e.address);
    if (looked) {
      if ((slot & 1) !== 0 || looked !== e.rowName) return undefined;
    } else {
      const name = reverse?.(e.address);
      if (name ? (slot & 1) !== 1 || name !== e.rowName : e.rowName !== undefined) return undefined;
    }
    order[i++] = slot >> 1;
  }
  return order;
}

/** The row's endpoints for a delta batch: the order only when it suffices, else the whole list as a new version. */
export function deltaEndpoints(
  record: AppRecord,
  lookedUp: NameLookup,
  reverse: NameLookup,
  newVersion: () => number,
): RowEndpoints {
  if (record.endpoints.size === 0) {
    record.endpointsVersion = 0;
    return { endpoints: [] };
  }
  const order = orderAgainstListed(record, lookedUp, reverse);
  if (order) return { endpoints: [], endpointsVersion: record.endpointsVersion, endpointOrder: order };
  const endpoints = record.endpoints.newestFirst(lookedUp, reverse);
  let i = 0;
  for (let e = record.endpoints.last; e; e = e.older, i++) {
    const listed: Endpoint = endpoints[i]!;
    e.rowSlot = i * 2 + (listed.hostnameSource === 'reverse' ? 1 : 0);
    e.rowName = listed.hostname;
  }
  record.endpointsVersion = newVersion();
  return { endpoints, endpointsVersion: record.endpointsVersion };
}

/**
 * The row's endpoints for a snapshot page: the whole list, newest first, and where the app's last delta row's list
 * still holds, its version and each endpoint's position in it, so that the deltas after the page can refer to it.
 * Where it no longer holds, the page's list stands alone and the next delta row carries a new list.
 */
export function pageEndpoints(record: AppRecord, lookedUp: NameLookup, reverse: NameLookup): RowEndpoints {
  const endpoints = record.endpoints.newestFirst(lookedUp, reverse);
  const order = endpoints.length > 0 ? orderAgainstListed(record, lookedUp, reverse) : undefined;
  if (order) return { endpoints, endpointsVersion: record.endpointsVersion, endpointOrder: order };
  record.endpointsVersion = 0;
  return { endpoints };
}
