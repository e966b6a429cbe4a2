// Icons cost main a shell call each: a path is asked once it has stayed on screen for the dwell, once, and the
// answers kept are bounded.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DWELL_MS, IconStore } from '../../../renderer/src/components/icon-store';

const URL_OF = (path: string) => `data:image/png;base64,${Buffer.from(path).toString('base64')}`;

function storeWithAsks(options: { limit?: number; fail?: boolean } = {}) {
  const asked: string[] = [];
  const store = new IconStore({
    fetch: (path) => {
      asked.push(path);
      return options.fail ? Promise.reject(new Error('no shell')) : Promise.resolve(URL_OF(path));
    },
    ...(options.limit ? { limit: options.limit } : {}),
  });
  return { store, asked };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('icons asked of main', () => {
  it('an app that passes through the rows in a batch or two is never asked for', async () => {
    const { store, asked } = storeWithAsks();
    // A flood: every 100 ms the row shows another app.
    for (let i = 0; i < 50; i++) {
      const release = store.show(`C:\\Apps\\app${i}.exe`, () => {}, true);
      await vi.advanceTimersByTimeAsync(100);
      release();
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(asked).toEqual([]);
  });

  it('an app that stays on screen, even while it moves from row to row, is asked for once and shown', async () => {
    const { store, asked } = storeWithAsks();
    const path = 'C:\\Apps\\busy.exe';
    const seen: (string | null)[] = [];
    // It moves down a row with each batch: one row lets it go as the next takes it.
    let release = store.show(path, (url) => seen.push(url), true);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(DWELL_MS / 5);
      const next = store.show(path, (url) => seen.push(url), true);
      release();
      release = next;
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual([path]);
    expect(seen).toEqual([URL_OF(path)]);
    expect(store.get(path)).toBe(URL_OF(path));
    // Shown again later: answered from what is kept, not asked again.
    release();
    const again = vi.fn();
    store.show(path, again, true);
    await vi.advanceTimersByTimeAsync(DWELL_MS * 2);
    expect(asked).toEqual([path]);
    expect(again).not.toHaveBeenCalled();
  });

  it('an icon that stands alone (prompt, detail panel) is asked for at once, also for an app a row still waits on', async () => {
    const { store, asked } = storeWithAsks();
    const seen: (string | null)[] = [];
    store.show('C:\\Apps\\row.exe', () => {}, true);
    store.show('C:\\Apps\\row.exe', (url) => seen.push(url));
    store.show('C:\\Apps\\prompt.exe', (url) => seen.push(url));
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['C:\\Apps\\row.exe', 'C:\\Apps\\prompt.exe']);
    expect(seen).toEqual([URL_OF('C:\\Apps\\row.exe'), URL_OF('C:\\Apps\\prompt.exe')]);
    await vi.advanceTimersByTimeAsync(DWELL_MS * 2);
    expect(asked).toHaveLength(2);
  });

  it('a failed ask shows the initial, and is not repeated for every row that shows the app', async () => {
    const { store, asked } = storeWithAsks({ fail: true });
    const seen: (string | null)[] = [];
    const release = store.show('C:\\Apps\\x.exe', (url) => seen.push(url));
    await vi.advanceTimersByTimeAsync(0);
    release();
    store.show('C:\\Apps\\x.exe', () => {}, true);
    store.show('C:\\Apps\\x.exe', () => {});
    await vi.advanceTimersByTimeAsync(DWELL_MS);
    expect(seen).toEqual([null]);
    expect(store.get('C:\\Apps\\x.exe')).toBeNull();
    expect(asked).toHaveLength(1);
  });

  it('keeps the answers for the most recently shown paths only', async () => {
    const { store, asked } = storeWithAsks({ limit: 3 });
    for (const name of ['a', 'b', 'c']) {
      store.show(`C:\\${name}.exe`, () => {})();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(store.get('C:\\a.exe')).toBe(URL_OF('C:\\a.exe')); // a is now the most recent
    store.show('C:\\d.exe', () => {})();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.get('C:\\b.exe')).toBeUndefined();
    expect(store.get('C:\\a.exe')).toBe(URL_OF('C:\\a.exe'));
    expect(store.get('C:\\d.exe')).toBe(URL_OF('C:\\d.exe'));
    expect(asked).toEqual(['C:\\a.exe', 'C:\\b.exe', 'C:\\c.exe', 'C:\\d.exe']);
  });
});
