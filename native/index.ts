// native/: the Windows Filtering Platform through koffi (fwpuclnt.dll on Windows, the simulator elsewhere).
export type * from './api.js';
export {
  distrustEnvironment,
  loadWfp,
  packageRoot,
  simulatorFromEnvironment,
  simulatorPath,
  type WfpLibrary,
} from './loader.js';
export {
  FOLDERID,
  LOAD_LIBRARY_SEARCH,
  QUNS,
  Win32Error,
  windowsSystem,
  type SignedInUser,
  type WindowsSystem,
} from './win32/system.js';
export { WfpEngine, isEngineGone, NOT_ELEVATED_CONTEXT, type EngineOpenOptions } from './engine.js';
export { ALE_LAYER_KEYS, aleLayerOfKey, createLayerLookup, directionOfAleLayer, type LayerLookup } from './layers.js';
export {
  enableEventCollection,
  keywordsFor,
  type CollectionClaim,
  type CollectionLedger,
  type EventCollection,
  type EventCollectionChange,
} from './options.js';
export {
  subscribe,
  type NetEventHandlers,
  type NetEventSubscription,
  type NetEventSubscriptionStats,
  type SubscribeOptions,
} from './subscription.js';
export { createFilterManager, PORTCULLIS_SUBLAYER_WEIGHT, type ApplyResult, type FilterManager } from './filters.js';
export { MAX_FILTER_WEIGHT, MAX_TAG_LENGTH, validateSpec } from './conditions.js';
export { createPathMapper, KERNEL_APP, type PathMapper } from './paths.js';
export { WfpError, WfpLoadError, errorSymbol, errorHint, isWfpError } from './errors.js';
export {
  loadSimControl,
  type SimControl,
  type SimConnection,
  type SimEventSpec,
  type SimVerdict,
} from './sim-control.js';
export { decodeNetEvent, MalformedEvent, type NetEventVersion } from './decode/net-event.js';
export { directionOfLayer, FWPM_LAYER, PORTCULLIS_PROVIDER_KEY, PORTCULLIS_SUBLAYER_KEY } from './wfp/guids.js';
