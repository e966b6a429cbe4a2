// What crosses between this process and a test page: command results and events, as JSON text parsed in the page.
//
// Electron copies IPC values with the structured clone algorithm ("Sending Functions, Promises, Symbols, WeakMaps,
// or WeakSets will throw an exception": Electron's docs, ipcRenderer.invoke / webContents.send). Playwright's own
// transport instead rebuilds a value in the page by evaluating it as a script: about 230 ms for one page of 250
// apps, which made a first load at 10,000 apps read 15-18 s where the app's own work is a fraction of that. JSON
// text costs what a clone costs, the same order of magnitude.
//
// So that the page never receives something other than Electron would deliver:
// - a value the structured clone refuses (a function, a symbol, a promise) fails here, as it fails in main;
// - a value the clone keeps but JSON would change fails here too, naming where it is: undefined in an array,
//   NaN or an infinity, a Date, Map, Set, RegExp, Error, bigint, or binary data.
// One difference is left: a property whose value is undefined arrives absent, where the clone keeps the key. The
// renderer reads such fields with `=== undefined` or `??`, which cannot tell the two apart.

export function toWire(value: unknown, what: string): string {
  structuredClone(value);
  return JSON.stringify(value, function refuseWhatJsonChanges(this: unknown, key: string, replaced: unknown) {
    const original = key === '' ? value : (this as Record<string, unknown>)[key];
    const problem = changedByJson(original, Array.isArray(this));
    if (problem) throw new Error(`${what} holds ${problem} at "${key}", which JSON would not carry as IPC does`);
    return replaced;
  });
}

function changedByJson(v: unknown, inArray: boolean): string | undefined {
  if (v === undefined) return inArray ? 'undefined in an array' : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : String(v);
  if (typeof v === 'bigint') return 'a bigint';
  if (typeof v !== 'object' || v === null) return undefined;
  if (v instanceof Date) return 'a Date';
  if (v instanceof Map) return 'a Map';
  if (v instanceof Set) return 'a Set';
  if (v instanceof RegExp) return 'a RegExp';
  if (v instanceof Error) return 'an Error';
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return 'binary data';
  return undefined;
}
