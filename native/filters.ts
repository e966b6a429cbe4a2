// Our provider, sublayer and filters: add in one transaction, list, remove, and tell whose filter dropped a packet.
import koffi from 'koffi';
import type { AppFilterSpec, FilterAction, FilterInfo, OurFilter } from './api.js';
import { conditionsFor, filterObject, layersFor, validateSpec } from './conditions.js';
import type { WfpEngine } from './engine.js';
import { check, WfpError } from './errors.js';
import { actionOf, FilterInfoCache, isNull, readTag, type DecodedFilter } from './filter-info.js';
import { createPathMapper } from './paths.js';
import { FWPM_PROVIDER_FLAG_PERSISTENT, FWPM_SUBLAYER_FLAG_PERSISTENT } from './wfp/constants.js';
import {
  guidFromStruct,
  guidToStruct,
  PORTCULLIS_LEGACY_SUBLAYER_KEY,
  PORTCULLIS_PROVIDER_KEY,
  PORTCULLIS_SUBLAYER_KEY,
  FWPM_CONDITION,
  type GuidStruct,
} from './wfp/guids.js';
import { FWP_DATA_TYPE } from './wfp/constants.js';
import { FWP_BYTE_BLOB, FWPM_FILTER0, FWPM_FILTER_CONDITION0, GUID } from './wfp/types.js';

/**
 * Our sublayer's weight (docs/windows-semantics.md, "Sublayer weight"). Our permits are soft, so for them the weight
 * changes nothing: a block in any other sublayer wins ("Filter Arbitration"). It matters for the one hard permit a
 * user may ask for ("Allow even where Windows Firewall blocks it"): evaluated before Windows Defender Firewall's
 * sublayers, whose weights Windows does not document, it is final there. It is below 0xFFFF on purpose: VPN kill
 * switches sit at 0xFFFF (wireguard-windows tunnel/firewall/blocker.go, registerBaseObjects: ^uint16(0)), sublayers of equal weight
 * have no defined order, and being evaluated after them keeps a kill switch's hard blocks final over ours.
 */
export const PORTCULLIS_SUBLAYER_WEIGHT = 0xfff0;
const ENUM_PAGE = 256;

export interface ApplyResult {
  /** For each spec of `add`, in order, the ids of the filters created for it (one per layer). */
  added: number[][];
}

export interface FilterManager {
  /** Creates our provider and sublayer unless they exist (persistent in a non-dynamic session). */
  ensureProviderAndSublayer(): Promise<void>;
  /** Removes and adds in one transaction: all of it happens, or none of it. */
  apply(change: { add: readonly AppFilterSpec[]; remove: readonly number[] }): Promise<ApplyResult>;
  listOurs(): Promise<OurFilter[]>;
  /** Every filter of ours, then our sublayer and provider. */
  removeAllOurs(): Promise<void>;
  /** Who owns a filter (FwpmFilterGetById0, cached); undefined when no filter has this id. */
  filterInfo(filterId: number): FilterInfo | undefined;
}

export function createFilterManager(engine: WfpEngine): FilterManager {
  return new WfpFilterManager(engine);
}

class WfpFilterManager implements FilterManager {
  readonly #engine: WfpEngine;
  readonly #info: FilterInfoCache;
  #ensured = false;
  /** listOurs found filters of ours in the sublayer of an earlier version: it goes once they are removed. */
  #earlierSublayerInUse = false;

  constructor(engine: WfpEngine) {
    this.#engine = engine;
    this.#info = new FilterInfoCache(engine);
  }

  filterInfo(filterId: number): FilterInfo | undefined {
    return this.#info.get(filterId);
  }

  get #fn() {
    return this.#engine.lib.fn;
  }

  async ensureProviderAndSublayer(): Promise<void> {
    const persistent = !this.#engine.dynamic;
    const providerKey = guidToStruct(PORTCULLIS_PROVIDER_KEY);
    await this.#engine.transaction(() => {
      const provider = {
        providerKey,
        displayData: { name: 'Portcullis', description: 'Portcullis firewall rules' },
        flags: persistent ? FWPM_PROVIDER_FLAG_PERSISTENT : 0,
        providerData: { size: 0, data: null },
        serviceName: null,
      };
      this.#tolerateExisting('FwpmProviderAdd0', this.#fn.FwpmProviderAdd0(this.#engine.handle, provider, null));
      const sublayer = {
        subLayerKey: guidToStruct(PORTCULLIS_SUBLAYER_KEY),
        displayData: { name: 'Portcullis', description: 'Portcullis firewall rules' },
        flags: persistent ? FWPM_SUBLAYER_FLAG_PERSISTENT : 0,
        providerKey,
        providerData: { size: 0, data: null },
        weight: PORTCULLIS_SUBLAYER_WEIGHT,
      };
      this.#tolerateExisting('FwpmSubLayerAdd0', this.#fn.FwpmSubLayerAdd0(this.#engine.handle, sublayer, null));
    });
    // The older sublayer goes once its filters are gone (FWP_E_IN_USE until then; not found once removed).
    this.#fn.FwpmSubLayerDeleteByKey0(this.#engine.handle, guidToStruct(PORTCULLIS_LEGACY_SUBLAYER_KEY));
    this.#ensured = true;
  }

  #tolerateExisting(func: string, code: number): void {
    if (code !== 0 && new WfpError(func, code).symbol !== 'FWP_E_ALREADY_EXISTS') check(func, code);
  }

  async apply(change: { add: readonly AppFilterSpec[]; remove: readonly number[] }): Promise<ApplyResult> {
    // Everything that can be checked without WFP is checked before the transaction starts.
    const mapper = createPathMapper(this.#engine.lib);
    const prepared = change.add.map((spec, index) => {
      try {
        const remote = validateSpec(spec);
        const appId = spec.appPath !== undefined ? mapper.appIdBlobFor(spec.appPath) : undefined;
        return { spec, remote, conditions: conditionsFor(spec, appId, remote) };
      } catch (e) {
        throw new TypeError(`add[${index}] "${spec.name}": ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
        });
      }
    });
    if (!this.#ensured) await this.ensureProviderAndSublayer();

    const persistent = !this.#engine.dynamic;
    const result = await this.#engine.transaction(() => {
      for (const id of change.remove) {
        const code = this.#fn.FwpmFilterDeleteById0(this.#engine.handle, BigInt(id)) as number;
        // Already gone is what we wanted.
        if (code !== 0 && new WfpError('', code).symbol !== 'FWP_E_FILTER_NOT_FOUND')
          check('FwpmFilterDeleteById0', code, `filter ${id}`);
      }
      const added: number[][] = [];
      prepared.forEach(({ spec, remote, conditions }, index) => {
        const ids: number[] = [];
        for (const target of layersFor(spec, remote)) {
          const filter = filterObject({
            spec,
            target,
            conditions,
            providerKey: PORTCULLIS_PROVIDER_KEY,
            subLayerKey: PORTCULLIS_SUBLAYER_KEY,
            persistent,
          });
          const out: unknown[] = [0];
          const code = this.#fn.FwpmFilterAdd0(this.#engine.handle, filter, null, out) as number;
          check('FwpmFilterAdd0', code, `add[${index}] "${spec.name}" on ${target.layerName}`);
          ids.push(Number(out[0]));
        }
        added.push(ids);
      });
      return { added };
    });
    for (const id of change.remove) this.#info.forget(id);
    if (this.#earlierSublayerInUse) this.#dropEarlierSublayer();
    return result;
  }

  /**
   * Deletes the sublayer of an earlier version, weight 0xFFFF, once no filter of ours is left in it. Its filters
   * must not outlive an upgrade: sublayers are evaluated from the highest weight, and a block there is not lifted by
   * any soft permit of ours in the sublayer below ("Filter Arbitration", learn.microsoft.com), so the earlier
   * default block would keep every allowed app, DNS and DHCP blocked.
   */
  #dropEarlierSublayer(): void {
    const code = this.#fn.FwpmSubLayerDeleteByKey0(
      this.#engine.handle,
      guidToStruct(PORTCULLIS_LEGACY_SUBLAYER_KEY),
    ) as number;
    const symbol = code === 0 ? undefined : new WfpError('', code).symbol;
    // Anything else (FWP_E_IN_USE: filters of ours still there, a reconcile in steps) is tried again after the next
    // change. Never thrown: the change itself was committed, and must not read as failed.
    if (symbol === undefined || symbol === 'FWP_E_SUBLAYER_NOT_FOUND') this.#earlierSublayerInUse = false;
  }

  /** Walks every filter (a NULL template: the enumeration template's provider filter is not honoured alike everywhere). */
  #enumerate<T>(pick: (filter: unknown) => T | undefined): T[] {
    const found: T[] = [];
    const handleOut: unknown[] = [null];
    check('FwpmFilterCreateEnumHandle0', this.#fn.FwpmFilterCreateEnumHandle0(this.#engine.handle, null, handleOut));
    const enumHandle = handleOut[0];
    try {
      for (;;) {
        const entries: unknown[] = [null];
        const count: number[] = [0];
        check('FwpmFilterEnum0', this.#fn.FwpmFilterEnum0(this.#engine.handle, enumHandle, ENUM_PAGE, entries, count));
        const n = count[0] ?? 0;
        if (n > 0 && !isNull(entries[0])) {
          try {
            const pointers = koffi.decode(entries[0], 0, 'void *', n) as unknown[];
            for (const p of pointers) {
              if (isNull(p)) continue;
              const value = pick(p);
              if (value !== undefined) found.push(value);
            }
          } finally {
            this.#fn.FwpmFreeMemory0([entries[0]]);
          }
        }
        if (n < ENUM_PAGE) break;
      }
    } finally {
      this.#fn.FwpmFilterDestroyEnumHandle0(this.#engine.handle, enumHandle);
    }
    return found;
  }

  async listOurs(): Promise<OurFilter[]> {
    const providerOffset = FWPM_FILTER0.members!.providerKey!.offset;
    return this.#enumerate((p) => {
      const providerPtr = koffi.decode(p, providerOffset, 'void *');
      if (isNull(providerPtr)) return undefined;
      if (guidFromStruct(koffi.decode(providerPtr, GUID) as GuidStruct) !== PORTCULLIS_PROVIDER_KEY) return undefined;
      const f = koffi.decode(p, FWPM_FILTER0) as DecodedFilter;
      // A filter of ours outside our sublayer is an earlier version's: shown untagged, so that reconciling removes it
      // and adds what the plan says in our sublayer, even where its tag is still the plan's (the default block's).
      const inOurSublayer = guidFromStruct(f.subLayerKey) === PORTCULLIS_SUBLAYER_KEY;
      if (!inOurSublayer) this.#earlierSublayerInUse = true;
      const tag = inOurSublayer ? readTag(f.providerData) : undefined;
      const appId = tag === undefined ? undefined : appIdOf(f);
      const action = actionOf(f.action.type);
      return {
        filterId: Number(f.filterId),
        key: guidFromStruct(f.filterKey),
        name: f.displayData.name ?? '',
        layerKey: guidFromStruct(f.layerKey),
        action: (action === 'permit' ? 'permit' : 'block') as FilterAction,
        ...(tag !== undefined ? { tag } : {}),
        ...(appId !== undefined ? { appId } : {}),
      };
    });
  }

  async removeAllOurs(): Promise<void> {
    const ours = await this.listOurs();
    await this.#engine.transaction(() => {
      for (const f of ours) {
        const code = this.#fn.FwpmFilterDeleteById0(this.#engine.handle, BigInt(f.filterId)) as number;
        if (code !== 0 && new WfpError('', code).symbol !== 'FWP_E_FILTER_NOT_FOUND')
          check('FwpmFilterDeleteById0', code, `filter ${f.filterId}`);
      }
      const sub = this.#fn.FwpmSubLayerDeleteByKey0(
        this.#engine.handle,
        guidToStruct(PORTCULLIS_SUBLAYER_KEY),
      ) as number;
      if (sub !== 0 && new WfpError('', sub).symbol !== 'FWP_E_SUBLAYER_NOT_FOUND')
        check('FwpmSubLayerDeleteByKey0', sub);
      const legacy = this.#fn.FwpmSubLayerDeleteByKey0(
        this.#engine.handle,
        guidToStruct(PORTCULLIS_LEGACY_SUBLAYER_KEY),
      ) as number;
      if (legacy !== 0 && new WfpError('', legacy).symbol !== 'FWP_E_SUBLAYER_NOT_FOUND')
        check('FwpmSubLayerDeleteByKey0', legacy, 'the sublayer of an earlier version');
      const prov = this.#fn.FwpmProviderDeleteByKey0(
        this.#engine.handle,
        guidToStruct(PORTCULLIS_PROVIDER_KEY),
      ) as number;
      if (prov !== 0 && new WfpError('', prov).symbol !== 'FWP_E_PROVIDER_NOT_FOUND')
        check('FwpmProviderDeleteByKey0', prov);
    });
    this.#ensured = false;
    for (const f of ours) this.#info.forget(f.filterId);
  }
}

/**
 * The filter's FWPM_CONDITION_ALE_APP_ID, as the text it was built from (paths.ts appIdFor): which
 * \device\harddiskvolumeN path the filter matches, so that a start can tell a filter whose volume was renumbered
 * since (core's enforcer replaces it).
 */
function appIdOf(f: DecodedFilter & { numFilterConditions?: number; filterCondition?: unknown }): string | undefined {
  const count = f.numFilterConditions ?? 0;
  if (count === 0 || isNull(f.filterCondition)) return undefined;
  const conditions = koffi.decode(f.filterCondition, FWPM_FILTER_CONDITION0, count) as {
    fieldKey: GuidStruct;
    conditionValue: { type: number; u: Record<string, unknown> };
  }[];
  for (const c of conditions) {
    if (guidFromStruct(c.fieldKey) !== FWPM_CONDITION.ALE_APP_ID) continue;
    if (c.conditionValue.type !== FWP_DATA_TYPE.BYTE_BLOB_TYPE || isNull(c.conditionValue.u['byteBlob']))
      return undefined;
    const blob = koffi.decode(c.conditionValue.u['byteBlob'], FWP_BYTE_BLOB) as { size: number; data: unknown };
    if (blob.size < 2 || blob.size > 65_536 || isNull(blob.data)) return undefined;
    const bytes = koffi.decode(blob.data, 0, 'uint8_t', blob.size) as Uint8Array;
    return Buffer.from(bytes).toString('utf16le').replace(/\0+$/, '');
  }
  return undefined;
}
