// "Whose filter dropped this?": FwpmFilterGetById0 decoded into FilterInfo, cached per filter id.
import koffi from 'koffi';
import type { FilterInfo } from './api.js';
import type { WfpEngine } from './engine.js';
import { WfpError } from './errors.js';
import { FWP_ACTION, FWP_DATA_TYPE } from './wfp/constants.js';
import {
  FWPM_PROVIDER_MPSSVC,
  guidFromStruct,
  guidToStruct,
  PORTCULLIS_PROVIDER_KEY,
  type GuidStruct,
} from './wfp/guids.js';
import { FWPM_FILTER0, FWPM_PROVIDER0, GUID } from './wfp/types.js';

const WINDOWS_FIREWALL_PROVIDERS = new Set<string>(Object.values(FWPM_PROVIDER_MPSSVC));
const MAX_TAG_BYTES = 4 * 200;

/** FWPM_FILTER0 as koffi decodes it (the fields read here). */
export interface DecodedFilter {
  filterKey: GuidStruct;
  displayData: { name: string | null; description: string | null };
  providerKey: unknown;
  providerData: { size: number; data: unknown };
  layerKey: GuidStruct;
  subLayerKey: GuidStruct;
  weight: { type: number; u: Record<string, unknown> };
  action: { type: number };
  filterId: number | bigint;
}

export function isNull(p: unknown): boolean {
  return p === null || p === undefined || p === 0n;
}

export function actionOf(type: number): FilterInfo['action'] {
  if (type === FWP_ACTION.PERMIT) return 'permit';
  if (type === FWP_ACTION.BLOCK) return 'block';
  // FWP_ACTION_FLAG_CALLOUT
  if (type & 0x4000) return 'callout';
  return 'other';
}

export function ownerOf(providerKey: string | undefined): FilterInfo['owner'] {
  if (providerKey === PORTCULLIS_PROVIDER_KEY) return 'portcullis';
  if (providerKey && WINDOWS_FIREWALL_PROVIDERS.has(providerKey)) return 'windows-firewall';
  return 'other';
}

/** The tag Portcullis keeps in providerData (UTF-8). */
export function readTag(blob: { size: number; data: unknown }): string | undefined {
  if (blob.size === 0 || isNull(blob.data) || blob.size > MAX_TAG_BYTES) return undefined;
  return Buffer.from(koffi.decode(blob.data, 0, 'uint8_t', blob.size) as Uint8Array).toString('utf8');
}

function weightOf(v: DecodedFilter['weight']): number | undefined {
  if (v.type === FWP_DATA_TYPE.UINT8) return v.u['uint8'] as number;
  if (v.type === FWP_DATA_TYPE.UINT64 && !isNull(v.u['uint64'])) return Number(koffi.decode(v.u['uint64'], 'uint64_t'));
  return undefined;
}

export class FilterInfoCache {
  readonly #engine: WfpEngine;
  readonly #byId = new Map<number, FilterInfo>();
  readonly #providerNames = new Map<string, string | undefined>();

  constructor(engine: WfpEngine) {
    this.#engine = engine;
  }

  forget(filterId: number): void {
    this.#byId.delete(filterId);
  }

  get(filterId: number): FilterInfo | undefined {
    const cached = this.#byId.get(filterId);
    if (cached) return cached;
    const fn = this.#engine.lib.fn;
    const out: unknown[] = [null];
    const code = fn.FwpmFilterGetById0(this.#engine.handle, BigInt(filterId), out) as number;
    if (code !== 0) {
      const err = new WfpError('FwpmFilterGetById0', code, `filter ${filterId}`);
      if (err.symbol === 'FWP_E_FILTER_NOT_FOUND' || err.symbol === 'FWP_E_NOT_FOUND') return undefined;
      throw err;
    }
    // It has been seen to succeed without a filter.
    if (isNull(out[0])) return undefined;
    let info: FilterInfo;
    try {
      const f = koffi.decode(out[0], FWPM_FILTER0) as DecodedFilter;
      const providerKey = isNull(f.providerKey)
        ? undefined
        : guidFromStruct(koffi.decode(f.providerKey, GUID) as GuidStruct);
      const providerName = providerKey ? this.#providerName(providerKey) : undefined;
      const weight = weightOf(f.weight);
      info = {
        filterId,
        name: f.displayData.name ?? '',
        ...(f.displayData.description ? { description: f.displayData.description } : {}),
        ...(providerKey ? { providerKey } : {}),
        ...(providerName ? { providerName } : {}),
        layerKey: guidFromStruct(f.layerKey),
        action: actionOf(f.action.type),
        ...(weight !== undefined ? { weight } : {}),
        owner: ownerOf(providerKey),
      };
    } finally {
      fn.FwpmFreeMemory0([out[0]]);
    }
    this.#byId.set(filterId, info);
    return info;
  }

  #providerName(key: string): string | undefined {
    if (this.#providerNames.has(key)) return this.#providerNames.get(key);
    const fn = this.#engine.lib.fn;
    let name: string | undefined;
    const out: unknown[] = [null];
    const code = fn.FwpmProviderGetByKey0(this.#engine.handle, guidToStruct(key), out) as number;
    if (code === 0 && !isNull(out[0])) {
      try {
        name =
          (koffi.decode(out[0], FWPM_PROVIDER0) as { displayData: { name: string | null } }).displayData.name ??
          undefined;
      } finally {
        fn.FwpmFreeMemory0([out[0]]);
      }
    }
    this.#providerNames.set(key, name);
    return name;
  }
}
