import { SIGNALS, type Signal, type Weights } from './model.js';
import { DEFAULT_TEXT_MODEL, type TextModelSettings } from './index/text-model.js';
import { ROLES, type ColumnOverrides, type Role } from './io/columns.js';
import type { LanguageOption } from './text/language.js';

/**
 * A run's settings as a JSON file (`--config FILE`, written by `match tune`).
 * Every field is optional; command-line flags override it. Unknown fields are
 * refused, so a typo never silently does nothing.
 */
export interface MatchConfig {
  weights?: Partial<Weights>;
  model?: Partial<TextModelSettings>;
  lang?: LanguageOption;
  top?: number;
  minScore?: number;
  needs?: ColumnOverrides;
  solutions?: ColumnOverrides;
}

const TOP_LEVEL = ['weights', 'model', 'lang', 'top', 'minScore', 'needs', 'solutions'];

/** Validates parsed JSON; returns the config or the first problem, as a sentence naming the field. */
export function parseConfig(data: unknown): MatchConfig | string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'the config must be a JSON object';
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!TOP_LEVEL.includes(key)) return `unknown field '${key}'; the fields are ${TOP_LEVEL.join(', ')}`;
  const config: MatchConfig = {};
  if (obj.weights !== undefined) {
    const w = obj.weights as Record<string, unknown>;
    if (w === null || typeof w !== 'object' || Array.isArray(w)) return "'weights' must be an object like {\"text\": 0.6}";
    config.weights = {};
    for (const [k, v] of Object.entries(w)) {
      if (!SIGNALS.includes(k as Signal)) return `unknown signal 'weights.${k}'; the signals are ${SIGNALS.join(', ')}`;
      if (typeof v !== 'number' || !(v >= 0)) return `'weights.${k}' must be a number >= 0`;
      config.weights[k as Signal] = v;
    }
  }
  if (obj.model !== undefined) {
    const m = obj.model as Record<string, unknown>;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return "'model' must be an object";
    const defaults = DEFAULT_TEXT_MODEL as unknown as Record<string, unknown>;
    config.model = {};
    for (const [k, v] of Object.entries(m)) {
      if (!(k in defaults)) return `unknown field 'model.${k}'; the fields are ${Object.keys(defaults).join(', ')}`;
      if (typeof v !== typeof defaults[k]) return `'model.${k}' must be a ${typeof defaults[k]}`;
      (config.model as Record<string, unknown>)[k] = v;
    }
  }
  if (obj.lang !== undefined) {
    if (obj.lang !== 'en' && obj.lang !== 'it' && obj.lang !== 'auto') return "'lang' must be \"en\", \"it\" or \"auto\"";
    config.lang = obj.lang;
  }
  if (obj.top !== undefined) {
    if (!Number.isInteger(obj.top) || (obj.top as number) < 1) return "'top' must be a whole number >= 1";
    config.top = obj.top as number;
  }
  if (obj.minScore !== undefined) {
    if (typeof obj.minScore !== 'number' || obj.minScore < 0 || obj.minScore > 1) return "'minScore' must be a number from 0 to 1";
    config.minScore = obj.minScore;
  }
  for (const side of ['needs', 'solutions'] as const) {
    if (obj[side] === undefined) continue;
    const c = obj[side] as Record<string, unknown>;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) return `'${side}' must be an object of column names`;
    const overrides: ColumnOverrides = {};
    for (const [role, v] of Object.entries(c)) {
      if (!ROLES.includes(role as Role)) return `unknown field '${side}.${role}'; the fields are ${ROLES.join(', ')}`;
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0 || !list.every((x) => typeof x === 'string' && x)) return `'${side}.${role}' must be a column name${role === 'text' ? ' or a list of them' : ''}`;
      overrides[role as Role] = list as string[];
    }
    config[side] = overrides;
  }
  return config;
}
