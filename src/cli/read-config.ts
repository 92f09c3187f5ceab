import { readFile } from 'node:fs/promises';
import { inputError } from '../errors.js';
import { parseConfig, type MatchConfig } from '../config.js';
import { DEFAULT_RANK_OPTIONS, type RankOptions } from '../rank/rank.js';

/** Reads `--config FILE`; only ever the file named, never one found in the working directory. */
export async function readConfig(path: string | undefined): Promise<MatchConfig> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw inputError(path, undefined, `cannot read the config (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw inputError(path, undefined, `the config is not valid JSON (${(err as Error).message})`);
  }
  const config = parseConfig(data);
  if (typeof config === 'string') throw inputError(path, undefined, `${config}`);
  return config;
}

/** Defaults overlaid with the config: the base that command-line flags then override. */
export function rankOptionsWithConfig(config: MatchConfig): RankOptions {
  return {
    ...DEFAULT_RANK_OPTIONS,
    weights: { ...DEFAULT_RANK_OPTIONS.weights, ...config.weights },
    textModel: { ...DEFAULT_RANK_OPTIONS.textModel, ...config.model },
    lang: config.lang ?? DEFAULT_RANK_OPTIONS.lang,
    top: config.top ?? DEFAULT_RANK_OPTIONS.top,
    minScore: config.minScore ?? DEFAULT_RANK_OPTIONS.minScore,
  };
}
