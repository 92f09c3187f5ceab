import type { NeedResult } from '../model.js';

/**
 * What a run was: its inputs, its settings and what it produced. The Excel
 * "Settings" sheet, the HTML report's summary and the `--manifest` file all
 * print this one description. Pure.
 */

export type SettingValue = string | number | boolean | null | readonly (string | number)[];

export interface RunInput {
  role: 'needs' | 'solutions' | 'previous';
  file: string;
  format: string;
  /** Records read (pairs, for a previous run). */
  rows: number;
  sheet?: string;
}

export interface RunCounts {
  needs: number;
  solutions: number;
  /** Need–solution pairs written. */
  pairs: number;
  needsWithoutMatch: number;
}

export interface RunSummary {
  version: string;
  inputs: RunInput[];
  /** Every setting, flattened to dotted names (`weights.text`), in a stable order. */
  settings: Record<string, SettingValue>;
  counts: RunCounts;
}

/**
 * Flattens nested options into dotted names. Undefined values, functions and
 * Maps or Sets (loaded data such as a glossary's index, not settings) are
 * left out. Keys keep their insertion order, which the options' builders fix.
 */
export function flattenSettings(value: unknown, prefix = '', out: Record<string, SettingValue> = {}): Record<string, SettingValue> {
  if (value === undefined || typeof value === 'function' || value instanceof Map || value instanceof Set) return out;
  // A value that says how it is written out (the glossary: by its size, not its 21,000 trie nodes).
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function') return flattenSettings((value as { toJSON(): unknown }).toJSON(), prefix, out);
  if (value === null || typeof value !== 'object') {
    out[prefix] = value as SettingValue;
  } else if (Array.isArray(value)) {
    out[prefix] = value.map((v) => (typeof v === 'number' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)));
  } else {
    for (const [key, inner] of Object.entries(value)) flattenSettings(inner, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

export function countResults(results: readonly NeedResult[], solutions: number): RunCounts {
  return {
    needs: results.length,
    solutions,
    pairs: results.reduce((n, need) => n + need.matches.length, 0),
    needsWithoutMatch: results.filter((need) => need.matches.length === 0).length,
  };
}

/** A setting as one line of text, for sheets and reports. */
export function settingText(value: SettingValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Rows of label and value: tool, inputs, counts, then every setting. */
export function summaryEntries(summary: RunSummary): [string, string | number][] {
  const entries: [string, string | number][] = [['match version', summary.version]];
  for (const input of summary.inputs) {
    entries.push([`${input.role} file`, input.sheet ? `${input.file} (sheet ${input.sheet})` : input.file]);
    entries.push([`${input.role} ${input.role === 'previous' ? 'pairs' : 'records'}`, input.rows]);
  }
  entries.push(['needs ranked', summary.counts.needs], ['pairs written', summary.counts.pairs], ['needs without a match', summary.counts.needsWithoutMatch]);
  for (const [key, value] of Object.entries(summary.settings)) entries.push([key, typeof value === 'number' ? value : settingText(value)]);
  return entries;
}
