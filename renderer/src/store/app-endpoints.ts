// An app's endpoints as the window holds them. A delta row refers to the app's list of an earlier version
// (AppEntry endpointsBase) and carries only the endpoints new or renamed since and the order; an app's first row, or
// one where most changed, carries the whole list. The stored entry keeps the list newest first with its version and,
// where that list's own order differs, each endpoint's position in it (endpointOrder), so the next row can be applied
// with no second copy kept. Counts and last-seen times in it are those of when each endpoint was carried; the detail
// panel asks for current ones (apps.endpoints).
import type { AppEntry, Endpoint } from '../../../electron/core/model';

/** Whether the row refers to a list it does not carry (stored so only while no list was there to apply it to). */
export function refersToList(row: AppEntry): boolean {
  return row.endpointsBase !== undefined;
}

/** The list of version `held.endpointsVersion` in its own order, or undefined when the entry cannot give it. */
function listedOf(held: AppEntry): readonly Endpoint[] | undefined {
  const order = held.endpointOrder;
  if (order === undefined) return held.endpoints;
  if (order.length !== held.endpoints.length) return undefined;
  const listed = new Array<Endpoint>(order.length);
  for (let i = 0; i < order.length; i++) listed[order[i]!] = held.endpoints[i]!;
  return listed;
}

/** The list `order` gives from `listed` and `carried`, or undefined when it does not fit them. */
function place(
  listed: readonly Endpoint[],
  order: readonly number[],
  carried: readonly Endpoint[],
): Endpoint[] | undefined {
  const out = new Array<Endpoint>(order.length);
  for (let i = 0; i < order.length; i++) {
    const at = order[i]!;
    const e = at >= 0 ? listed[at] : carried[-at - 1];
    if (e === undefined) return undefined;
    out[i] = e;
  }
  return out;
}

/** `row` with the endpoints `from` holds (its list, the version and the positions that go with it). */
function endpointsFrom(row: AppEntry, from: AppEntry): AppEntry {
  const { endpointsBase: _base, endpointsVersion: _version, endpointOrder: _order, ...rest } = row;
  return {
    ...rest,
    endpoints: from.endpoints,
    ...(from.endpointsVersion !== undefined ? { endpointsVersion: from.endpointsVersion } : {}),
    ...(from.endpointOrder !== undefined ? { endpointOrder: from.endpointOrder } : {}),
  };
}

/**
 * The entry to store for a row that arrived in a delta batch, given the entry held for the app. A list older than
 * the one held (a batch that raced a snapshot) leaves the held one; a row is applied only to the list it refers to.
 * One with no list to apply it to is stored as it came, and a snapshot page fills the list in (fillEndpoints).
 */
export function withEndpoints(row: AppEntry, held: AppEntry | undefined): AppEntry {
  const base = row.endpointsBase;
  const resolved = held !== undefined && !refersToList(held);
  if (base === undefined) {
    const version = row.endpointsVersion;
    const heldVersion = held?.endpointsVersion;
    const older = version !== undefined && heldVersion !== undefined && version < heldVersion;
    return resolved && older ? endpointsFrom(row, held) : row;
  }
  if (!resolved) return row;
  if (held.endpointsVersion !== base) return endpointsFrom(row, held);
  const listed = listedOf(held);
  const order = row.endpointOrder ?? [];
  // The same version only reordered holds every endpoint of it.
  const fits = listed !== undefined && (row.endpointsVersion !== base || order.length === listed.length);
  const endpoints = fits ? place(listed, order, row.endpoints) : undefined;
  if (!endpoints) return endpointsFrom(row, held);
  const { endpointsBase: _base, endpointOrder, ...rest } = row;
  // The same version reordered keeps the positions in it; a new version is listed in this order.
  return row.endpointsVersion === base
    ? { ...rest, endpoints, ...(endpointOrder ? { endpointOrder } : {}) }
    : { ...rest, endpoints };
}

/**
 * A snapshot page's row for an app a delta row reached first: the held row stays (it may be newer), but when it
 * referred to a list the window did not have, the page's list is taken.
 */
export function fillEndpoints(held: AppEntry, page: AppEntry): AppEntry {
  return refersToList(held) ? endpointsFrom(held, page) : held;
}
