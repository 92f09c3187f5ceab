import type { RunSummary, SettingValue } from './run-summary.js';

/**
 * `--manifest`: what a nightly pipeline keeps beside each output to know what
 * produced it. The output itself carries no time, so it stays byte-identical;
 * the time lives here. Pure: hashes and times come from the caller.
 */

export interface ManifestInput {
  role: string;
  file: string;
  /** Null for standard input, which cannot be read twice. */
  sha256: string | null;
  bytes: number | null;
  rows: number;
  format: string;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  /** Which column plays which role. */
  columns?: Record<string, string | string[]>;
}

export interface ManifestOutput {
  file: string | null;
  format: string;
  columns: string[];
  needs: number;
  rows: number;
  needsWithoutMatch: number;
}

export interface ManifestTimes {
  startedAt: Date;
  finishedAt: Date;
}

export function renderManifest(summary: RunSummary, inputs: readonly ManifestInput[], output: ManifestOutput, times: ManifestTimes, args: readonly string[]): string {
  const manifest = {
    tool: 'match',
    version: summary.version,
    command: 'rank',
    arguments: [...args],
    started_at: times.startedAt.toISOString(),
    finished_at: times.finishedAt.toISOString(),
    duration_ms: times.finishedAt.getTime() - times.startedAt.getTime(),
    inputs: inputs.map((i) => ({
      role: i.role,
      file: i.file,
      sha256: i.sha256,
      bytes: i.bytes,
      rows: i.rows,
      format: i.format,
      ...(i.encoding ? { encoding: i.encoding } : {}),
      ...(i.delimiter ? { delimiter: i.delimiter } : {}),
      ...(i.sheet ? { sheet: i.sheet } : {}),
      ...(i.columns ? { columns: i.columns } : {}),
    })),
    settings: summary.settings as Record<string, SettingValue>,
    output: {
      file: output.file,
      format: output.format,
      columns: output.columns,
      needs: output.needs,
      rows: output.rows,
      needs_without_match: output.needsWithoutMatch,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
