// The shapes core publishes and accepts. Plain, serializable data: these cross the IPC boundary unchanged,
// so no Map, Set, Date or bigint in here (times are ms since 1970 UTC).
// They are kept by subject in model/; everyone (the renderer too) imports them from this file, the one part of core
// the layer rule lets the renderer see.
export type * from './model/activity';
export type * from './model/apps';
export type * from './model/decisions';
export type * from './model/rule-import';
export type * from './model/rules';
export type * from './model/settings';
export type * from './model/snapshot';
export type * from './model/status';
