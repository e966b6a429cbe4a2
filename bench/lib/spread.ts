// Repeated figures: the median with the lowest and highest of the runs, so that a reader sees the noise.
import { fmt, median } from './report';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function spread(runs: readonly number[]): Spread {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs: [...runs] };
}

/** "1,234 (1,100-1,300, n=3)" */
export function fmtSpread(s: Spread, digits = 0, unit = ''): string {
  return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}-${fmt(s.max, digits)}, n=${s.runs.length})`;
}
