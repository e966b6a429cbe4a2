// Which ALE layer a net event happened on, and the direction that layer decides. Events carry the layer's runtime
// id (classifyDrop.layerId), a number the kernel gives each layer on one machine: it is not a constant a client may
// compile in, so it is mapped back to the layer's key with FwpmLayerGetById0 (as simplewall's log.c does) and the
// answer cached per id. Keys: FWPM_LAYER_* from the Windows SDK (fwpmu.h), checked against windows-sys
// (Win32::NetworkManagement::WindowsFilteringPlatform).
import koffi from 'koffi';
import type { AleLayer, Direction } from './api.js';
import { WfpError } from './errors.js';
import type { WfpLibrary } from './loader.js';
import { FWPM_LAYER0 } from './wfp/types.js';
import { guidFromStruct, type GuidStruct } from './wfp/guids.js';

/** FWPM_LAYER_ALE_* keys (v4, v6) by the layer they name. */
export const ALE_LAYER_KEYS: Readonly<Record<AleLayer, readonly [string, string]>> = {
  connect: ['c38d57d1-05a7-4c33-904f-7fbceee60e82', '4a72393b-319f-44bc-84c3-ba54dcb3b6b4'],
  'recv-accept': ['e1cd9fe7-f4b5-4273-96c0-592e487b8650', 'a3b42c97-9f04-4672-b87e-cee9c483257f'],
  listen: ['88bb5dad-76d7-4227-9c71-df0a3ed7be7e', '7ac9de24-17dd-4814-b4bd-a9fbc95a321b'],
  'flow-established': ['af80470a-5596-4c13-9992-539e6fe57967', '7021d2b3-dfa4-406e-afeb-6afaf7e70efd'],
  'resource-assignment': ['1247d66d-0b60-4a15-8d44-7155d0f53a0c', '55a650e1-5f0a-4eca-a653-88f53b26aa8c'],
  'resource-release': ['74365cce-ccb0-401a-bfc1-b89934ad7e15', 'f4e5ce80-edcc-4e13-8a2f-b91454bb057b'],
  'endpoint-closure': ['b4766427-e2a2-467a-bd7e-dbcd1bd85a09', 'bb536ccd-4755-4ba9-9ff7-f9edf8699c7b'],
  'connect-redirect': ['c6e63c8c-b784-4562-aa7d-0a67cfcaf9a3', '587e54a7-8046-42ba-a0aa-b716250fc7fd'],
  'bind-redirect': ['66978cad-c704-42ac-86ac-7c1a231bd253', 'bef02c9c-606b-4536-8c26-1c2fc7b631d4'],
};

/**
 * The direction a layer decides, where it decides one (learn.microsoft.com, "ALE Layers" / "Filtering Layer
 * Identifiers"): connect authorizes an outgoing connection, receive/accept and listen an incoming one. The other ALE
 * layers see both (a flow is established either way; a bind precedes both) and say nothing about direction.
 */
export function directionOfAleLayer(layer: AleLayer): Direction | undefined {
  if (layer === 'connect' || layer === 'connect-redirect') return 'out';
  if (layer === 'recv-accept' || layer === 'listen') return 'in';
  return undefined;
}

const BY_KEY = new Map<string, AleLayer>(
  Object.entries(ALE_LAYER_KEYS).flatMap(([layer, keys]) => keys.map((k) => [k, layer as AleLayer] as const)),
);

/** The ALE layer a layer key names; undefined for the other (non-ALE) layers. */
export function aleLayerOfKey(key: string): AleLayer | undefined {
  return BY_KEY.get(key.toLowerCase());
}

export interface LayerLookup {
  /** The ALE layer of a runtime layer id; 'other' for a layer outside ALE; undefined when it cannot be told now. */
  (layerId: number): AleLayer | 'other' | undefined;
}

const KEY_OFFSET = FWPM_LAYER0.members!.layerKey!.offset;
const GUID_TYPE = FWPM_LAYER0.members!.layerKey!.type;
/** Far more than the layers of any Windows: a bound on what a hostile event stream can make us remember. */
const CACHE_LIMIT = 1024;

/**
 * FwpmLayerGetById0 for each runtime id once: the answer is kept for as long as the engine runs (ids are fixed
 * until the machine restarts). A failure other than "no such layer" is not remembered, so a transient error (the
 * engine restarting) is asked again next time.
 */
export function createLayerLookup(lib: WfpLibrary, engineHandle: () => unknown): LayerLookup {
  const known = new Map<number, AleLayer | 'other'>();
  return (layerId) => {
    if (!Number.isInteger(layerId) || layerId <= 0) return undefined;
    const hit = known.get(layerId);
    if (hit !== undefined) return hit;
    if (!lib.exported.has('FwpmLayerGetById0')) return undefined;
    const out: unknown[] = [null];
    let code: number;
    try {
      code = lib.fn.FwpmLayerGetById0(engineHandle(), layerId, out) as number;
    } catch {
      return undefined;
    }
    let answer: AleLayer | 'other' | undefined;
    if (code === 0 && out[0]) {
      try {
        const key = guidFromStruct(koffi.decode(out[0], KEY_OFFSET, GUID_TYPE) as GuidStruct);
        answer = aleLayerOfKey(key) ?? 'other';
      } finally {
        lib.fn.FwpmFreeMemory0([out[0]]);
      }
    } else if (code !== 0 && new WfpError('FwpmLayerGetById0', code).symbol === 'FWP_E_LAYER_NOT_FOUND') {
      answer = 'other';
    }
    if (answer !== undefined && known.size < CACHE_LIMIT) known.set(layerId, answer);
    return answer;
  };
}
