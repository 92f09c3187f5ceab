import { usageError } from '../errors.js';
import { DEFAULT_WEIGHTS, SIGNALS, type Signal, type Weights } from '../model.js';
import { parseEncoding, type Encoding } from '../io/decode.js';
import { INPUT_FORMATS, type InputFormat } from '../io/load-dataset.js';

/** `text=0.6,tags=0.25`: listed signals change, the others keep `base`. */
export function parseWeights(spec: string, base: Weights = DEFAULT_WEIGHTS): Weights {
  const weights = { ...base };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\s*[=:]\s*([0-9]*\.?[0-9]+)$/i.exec(part);
    if (!m) throw usageError(`--weights: cannot read '${part}'; write it as signal=number, e.g. --weights text=0.6,tags=0.25,sector=0.15`);
    const signal = m[1].toLowerCase() === 'tag' ? 'tags' : m[1].toLowerCase();
    // stage is blended only with --stage signal (see constraints/stage.ts).
    if (signal === 'stage') { weights.stage = Number(m[2]); continue; }
    if (!SIGNALS.includes(signal as Signal)) throw usageError(`--weights: unknown signal '${m[1]}'; the signals are ${SIGNALS.join(', ')}, stage`);
    weights[signal as Signal] = Number(m[2]);
  }
  if (SIGNALS.every((s) => weights[s] === 0)) throw usageError('--weights: every weight is 0; give at least one signal a positive weight');
  return weights;
}

/** A delimiter as typed on a shell: `;`, `tab`, `\t`, `pipe`... */
export function parseDelimiter(value: string | undefined, flag = '--delimiter'): string | undefined {
  if (value === undefined) return undefined;
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
  const d = named[value.toLowerCase()] ?? value;
  if (d.length !== 1) throw usageError(`${flag}: expected one character (or tab, comma, semicolon, pipe), got '${value}'`);
  return d;
}

export function parseEncodingOption(value: string | undefined, flag = '--encoding'): Encoding | undefined {
  if (value === undefined) return undefined;
  const encoding = parseEncoding(value);
  if (!encoding) throw usageError(`${flag}: unknown encoding '${value}'; use utf-8, utf-16le, utf-16be or windows-1252 (latin1)`);
  return encoding;
}

export function parseInputFormat(value: string | undefined, flag: string): InputFormat | undefined {
  if (value === undefined) return undefined;
  const f = value.toLowerCase() === 'ndjson' ? 'jsonl' : value.toLowerCase();
  if (!INPUT_FORMATS.includes(f as InputFormat)) throw usageError(`${flag}: unknown format '${value}'; use ${INPUT_FORMATS.join(', ')}`);
  return f as InputFormat;
}

export function parseCount(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw usageError(`${flag}: expected a whole number >= ${min}, got '${value}'`);
  return n;
}

export function parseFraction(value: string, flag: string): number {
  const n = Number(value.replace(',', '.'));
  if (!Number.isFinite(n) || n < 0 || n > 1) throw usageError(`${flag}: expected a number from 0 to 1, got '${value}'`);
  return n;
}

export function parseNumber(value: string, flag: string, min = 0): number {
  const n = Number(value.replace(',', '.'));
  if (!Number.isFinite(n) || n < min) throw usageError(`${flag}: expected a number >= ${min}, got '${value}'`);
  return n;
}

/** `a,b, c` → ['a', 'b', 'c']. */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
