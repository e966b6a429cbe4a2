// What the Rules table's Duration cell reads for a rule that ends at a time: short enough for the column in any
// locale's clock, with the day under the time when it is not today.
import { describe, expect, it } from 'vitest';
import { ruleDurationShort } from '../../../renderer/src/format/labels';

const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).getTime();

describe('a timed rule in the Rules table', () => {
  it('ends today: the time alone', () => {
    const cell = ruleDurationShort({ kind: 'until', until: at(2026, 12, 1, 23, 30) }, at(2026, 12, 1, 22, 30));
    expect(cell.main).toMatch(/^Until \d{1,2}:30/);
    expect(cell.sub).toBeUndefined();
  });

  it('ends after midnight: the time, and "Tomorrow" under it', () => {
    const cell = ruleDurationShort({ kind: 'until', until: at(2026, 12, 2, 0, 2) }, at(2026, 12, 1, 23, 2));
    expect(cell.main).toMatch(/^Until \d{1,2}:02/);
    expect(cell.sub).toBe('Tomorrow');
  });

  it('ends later: the time, and the date under it', () => {
    const cell = ruleDurationShort({ kind: 'until', until: at(2026, 12, 8, 9, 15) }, at(2026, 12, 1, 10, 0));
    expect(cell.main).toMatch(/^Until \d{1,2}:15/);
    expect(cell.sub).toMatch(/8/);
    expect(cell.sub).not.toMatch(/:/);
  });

  it('ended, forever, until restart: one line as before', () => {
    const now = at(2026, 12, 1, 12, 0);
    expect(ruleDurationShort({ kind: 'until', until: now - 1 }, now)).toEqual({ main: 'Expired' });
    expect(ruleDurationShort({ kind: 'forever' }, now)).toEqual({ main: 'Forever' });
    expect(ruleDurationShort({ kind: 'untilRestart' }, now)).toEqual({ main: 'Until restart' });
  });
});
