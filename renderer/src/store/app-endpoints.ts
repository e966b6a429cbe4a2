// An app's endpoints as the window holds them. A delta row carries the whole list only when an endpoint came or
// went or a name changed; otherwise only the order, as positions in the list of the version it names (AppEntry
// endpointsVersion, endpointOrder). The stored entry keeps the list newest first together with the positions it
// was given, so the list of that version can be rebuilt and reordered by the next row, with no second copy kept.
// Counts and last-seen times of a reordered list are those of when it was carried; the detail panel asks for
// current ones (apps.endpoints).
import type { AppEntry, Endpoint } from '../../../electron/core/model';

/** The list of version `held.endpointsVersion` in its own order, or undefined when the entry cannot give it. */
function listedOf(held: AppEntry): readonly Endpoint[] | undefined {
  const order = held.endpointOrder;
  if (order === undefined) return held.endpoints;
  if (order.length !== held.endpoints.length) return undefined;
  const listed = new Array<Endpoint>(order.length);
  for (let i = 0; i < order.length; i++) listed[order[i]!] = held.endpoints[i]!;
  return listed;
}

/** `listed` reordered by `order`, or undefined when `order` is not an order of exactly that list. */
function reorder(listed: readonly Endpoint[], order: readonly number[]): Endpoint[] | undefined {
  if (order.length !== listed.length) return undefined;
  const out = new Array<Endpoint>(order.length);
  for (let i = 0; i < order.length; i++) {
    const e = listed[order[i]!];
    if (e === undefined) return undefined;
    out[i] = e;
  }
  return out;
}

/** Whether the row carries its order only (its endpoints left out). */
export function carriesOrderOnly(row: AppEntry): boolean {
  return row.endpoints.length === 0 && (row.endpointOrder?.length ?? 0) > 0;
}

/** `row` with the endpoints `from` holds (its list, the version and the positions that go with it). */
function endpointsFrom(row: AppEntry, from: AppEntry): AppEntry {
  const { endpointsVersion: _version, endpointOrder: _order, ...rest } = row;
  return {
    ...rest,
    endpoints: from.endpoints,
    ...(from.endpointsVersion !== undefined ? { endpointsVersion: from.endpointsVersion } : {}),
    ...(from.endpointOrder !== undefined ? { endpointOrder: from.endpointOrder } : {}),
  };
}

/**
 * The entry to store for a row that arrived in a delta batch, given the entry held for the app. A list older than
 * the one held (a batch that raced a snapshot) leaves the held one; an order is applied only to the list it names.
 * An order with no list to apply it to is stored as it came, and a snapshot page fills the list in (fillEndpoints).
 */
export function withEndpoints(row: AppEntry, held: AppEntry | undefined): AppEntry {
  const version = row.endpointsVersion;
  if (!carriesOrderOnly(row)) {
    const heldVersion = held?.endpointsVersion;
    const older = version !== undefined && heldVersion !== undefined && version < heldVersion;
    if (held && older && !carriesOrderOnly(held)) return endpointsFrom(row, held);
    return row;
  }
  if (held === undefined || carriesOrderOnly(held)) return row;
  if (held.endpointsVersion !== version) return endpointsFrom(row, held);
  const listed = listedOf(held);
  const endpoints = listed && reorder(listed, row.endpointOrder!);
  return endpoints ? { ...row, endpoints } : endpointsFrom(row, held);
}

/**
 * A snapshot page's row for an app a delta row reached first: the held row stays (it may be newer), but when it
 * carried only an order the window had no list to apply it to, so the page's list is taken.
 */
export function fillEndpoints(held: AppEntry, page: AppEntry): AppEntry {
  return carriesOrderOnly(held) ? endpointsFrom(held, page) : held;
}
