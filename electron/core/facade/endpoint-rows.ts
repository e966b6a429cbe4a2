// The endpoint part of an app's row. A busy app's row goes out every second or so, and its up to 32 endpoints were
// most of the row's bytes (and of a flood's batches) though little of them changes but their counts and order. So a
// delta row refers to the app's list as its last delta row left it (a version) and carries only what the window
// cannot know: the order (each endpoint's position in that list) and the endpoints that came or whose name changed
// since. The whole list goes only with an app's first row, or when most of it changed. Counts and last-seen times,
// which change on every attempt, reach the one place that shows them (the detail panel) through `apps.endpoints`.
//
// Each endpoint remembers where that list put it and the name it had there (MutableEndpoint.rowSlot, rowName), and
// keeps its current name up to date at the cost of what changed (apps/endpoint-names.ts), so checking costs a few
// comparisons per endpoint and builds nothing. Versions only grow, so the window applies a row only to the list it
// refers to and never takes an older list for a newer one.
import type { AppRecord, RowEndpoints } from '../apps/app-record';
import type { EndpointNaming } from '../apps/endpoint-names';
import { currentName, publishedEndpoint, type MutableEndpoint } from '../apps/endpoint-set';
import type { Endpoint } from '../model';

/**
 * Whether the endpoint is in the app's listed version with the name it has now (as publishedEndpoint names it; the
 * set's names are brought up to date first).
 */
function listedAsIs(e: MutableEndpoint): boolean {
  const slot = e.rowSlot;
  if (slot < 0) return false;
  const name = currentName(e);
  if (name === undefined) return e.rowName === undefined;
  // Slot bit 1: the name listed was a reverse-DNS one.
  return (slot & 1) === (e.nameBasis!.source === 'reverse' ? 1 : 0) && name === e.rowName;
}

/**
 * Newest first, each endpoint's position in the listed version, or -(j + 1) for the j-th one not in it as it is
 * (new, or renamed); `changed` counts those. O(endpoints), no allocation but the array.
 */
function orderAgainstListed(record: AppRecord): { order: number[]; changed: number } {
  const order = new Array<number>(record.endpoints.size);
  let changed = 0;
  let i = 0;
  for (let e = record.endpoints.last; e; e = e.older) order[i++] = listedAsIs(e) ? e.rowSlot >> 1 : -++changed;
  return { order, changed };
}

/** Remembers the endpoint as the new version lists it: at `at`, named as `published` (when it is carried) or as before. */
function relist(e: MutableEndpoint, at: number, published: Endpoint | undefined): void {
  if (published === undefined) {
    e.rowSlot = at * 2 + (e.rowSlot & 1);
    return;
  }
  e.rowSlot = at * 2 + (published.hostnameSource === 'reverse' ? 1 : 0);
  e.rowName = published.hostname;
}

/**
 * The row's endpoints for a delta batch: the order only when nothing else changed; the order and the endpoints new
 * or renamed, as a new version, when a few changed; else the whole list as a new version.
 */
export function deltaEndpoints(record: AppRecord, naming: EndpointNaming, newVersion: () => number): RowEndpoints {
  const size = record.endpoints.size;
  if (size === 0) {
    record.endpointsVersion = 0;
    return { endpoints: [] };
  }
  record.endpoints.refreshNames(naming);
  const base = record.endpointsVersion;
  const against = base === 0 ? undefined : orderAgainstListed(record);
  if (against?.changed === 0) {
    return { endpoints: [], endpointsBase: base, endpointsVersion: base, endpointOrder: against.order };
  }
  // Past half of them changed, the whole list is hardly bigger, and the window needs no list to apply it to.
  const order = against !== undefined && against.changed * 2 <= size ? against.order : undefined;
  const endpoints: Endpoint[] = [];
  let i = 0;
  for (let e = record.endpoints.last; e; e = e.older, i++) {
    const carried = order === undefined || order[i]! < 0 ? publishedEndpoint(e, true) : undefined;
    if (carried) endpoints.push(carried);
    relist(e, i, carried);
  }
  record.endpointsVersion = newVersion();
  return order
    ? { endpoints, endpointsBase: base, endpointsVersion: record.endpointsVersion, endpointOrder: order }
    : { endpoints, endpointsVersion: record.endpointsVersion };
}

/**
 * The row's endpoints for a snapshot page: the whole list, newest first, and where the app's last delta row's list
 * still holds, its version and each endpoint's position in it, so that the deltas after the page can refer to it.
 * Where it no longer holds, the page's list stands alone and the next delta row carries the whole list.
 */
export function pageEndpoints(record: AppRecord, naming: EndpointNaming): RowEndpoints {
  const endpoints = record.endpoints.newestFirst(naming);
  const against = endpoints.length > 0 && record.endpointsVersion !== 0 ? orderAgainstListed(record) : undefined;
  if (against?.changed === 0)
    return { endpoints, endpointsVersion: record.endpointsVersion, endpointOrder: against.order };
  record.endpointsVersion = 0;
  return { endpoints };
}
