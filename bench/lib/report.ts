// What every benchmark shares: percentiles, a plain-text table, and the JSON file in bench-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const resultsDir = join(repoRoot, 'bench-results');

export type Cell = string | number;
export type Row = Record<string, Cell>;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** 1234567 -> "1,234,567"; fractions keep `digits` places. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function pct(ratio: number): string {
  return `${fmt(ratio * 100, 0)}%`;
}

export function mb(bytes: number): string {
  return `${fmt(bytes / 1048576, 1)} MB`;
}

export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log('  (no rows)');
    return;
  }
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const text = (r: Row, c: string) => (r[c] === undefined ? '' : String(r[c]));
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r, c).length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, i) => (i === 0 ? cell.padEnd(width[i]!) : cell.padStart(width[i]!))).join('  ');
  console.log(line(columns));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => text(r, c))));
}

/** Load average at the start and end of a benchmark: the machine is shared, so say how busy it was. */
export function machineLoad(): { loadavg1m: number; cpus: number } {
  return { loadavg1m: Math.round(loadavg()[0]! * 100) / 100, cpus: cpus().length };
}

export function writeResult(name: string, data: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, at: new Date().toISOString(), ...(data as object) }, null, 2)}\n`,
  );
  return file;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with --expose-gc (npm run bench does).');
  return gc;
}
