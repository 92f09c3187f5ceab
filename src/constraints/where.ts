import type { MatchRecord } from '../model.js';
import { usageError } from '../errors.js';
import { parseSector } from '../score/sector.js';
import { describeField, foldValue, numbersOf, parseCellNumber, valuesOf, type FieldRef } from './values.js';

/**
 * Hard filters on solutions (`--where`). Grammar, one condition per flag:
 *
 *   COLUMN OP VALUE
 *   OP:    >= <= > <     numbers ("5", "5.5" or "5,5")
 *          = !=          equal / not equal (numbers as numbers, text folded)
 *          ~ !~          starts with / does not (sector codes by code: C13 ~ C13.10, 13.10)
 *          in, not in    one of a comma-separated list: region in Lombardia,Piemonte
 *
 * COLUMN is a column of the solutions file or a role (id, name, title, text,
 * tags, sector); it may be quoted ("Ragione sociale" = Rossi). VALUE may be
 * quoted to keep spaces or commas. Text compares case- and accent-insensitively.
 * A cell with several values (a;b) passes when any value does; the negated
 * operators pass when none does, so an empty cell fails the positive ones and
 * passes the negated ones. Several conditions must all hold.
 */

export type Operator = '>=' | '<=' | '>' | '<' | '=' | '!=' | '~' | '!~' | 'in' | 'not in';

export interface Condition {
  /** The text as given, for messages. */
  source: string;
  column: string;
  op: Operator;
  /** One value, or the list for `in` / `not in`. */
  values: string[];
  /** The values as numbers where they are numbers (same positions as `values`). */
  numbers: (number | null)[];
}

const GRAMMAR_HINT = 'write COLUMN OP VALUE with OP one of >= <= > < = != ~ !~ in, not in; e.g. --where "trl>=5" --where "region in Lombardia,Piemonte" --where "sector~C13"';

const PATTERN = /^\s*("[^"]+"|'[^']+'|.+?)\s*(>=|<=|!=|<>|==|=|>|<|!~|~|\s+not\s+in\s+|\s+in\s+)\s*(.*?)\s*$/i;

const unquote = (s: string): string => (/^(["']).*\1$/s.test(s) && s.length >= 2 ? s.slice(1, -1) : s);

/** Splits `a, "b, c", d` on commas outside quotes; a surrounding (...) is dropped. */
function splitList(text: string): string[] {
  const inner = /^\((.*)\)$/s.exec(text.trim())?.[1] ?? text;
  const items: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const ch of inner) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ',') {
      items.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current.trim());
  return items.filter(Boolean);
}

/** Parses one `--where` condition; a usage error (exit 2) says what is wrong and how to write it. */
export function parseCondition(source: string): Condition {
  const m = PATTERN.exec(source);
  if (!m || !m[1].trim()) throw usageError(`--where '${source}': cannot read this filter; ${GRAMMAR_HINT}`);
  const column = unquote(m[1].trim());
  const rawOp = m[2].trim().toLowerCase().replace(/\s+/g, ' ');
  const op = (rawOp === '<>' ? '!=' : rawOp === '==' ? '=' : rawOp) as Operator;
  const rest = m[3];
  const values = op === 'in' || op === 'not in' ? splitList(rest) : [unquote(rest.trim())].filter((v) => v !== '');
  if (values.length === 0) throw usageError(`--where '${source}': no value after '${rawOp}'; ${GRAMMAR_HINT}`);
  const numbers = values.map(parseCellNumber);
  if ((op === '>=' || op === '<=' || op === '>' || op === '<') && numbers[0] === null) {
    throw usageError(`--where '${source}': '${values[0]}' is not a number; ${op} compares numbers (a decimal comma is fine: 2,5)`);
  }
  return { source, column, op, values, numbers };
}

/** True when the solution passes the condition, `field` being where its column was found. */
export function testCondition(condition: Condition, field: FieldRef, record: MatchRecord): boolean {
  const { op } = condition;
  switch (op) {
    case '>=': case '<=': case '>': case '<': {
      const limit = condition.numbers[0]!;
      return numbersOf(record, field).some((n) => compareNumber(n, op, limit));
    }
    case '=': case 'in': return anyEqual(condition, field, record);
    case '!=': case 'not in': return !anyEqual(condition, field, record);
    case '~': return anyPrefix(condition.values[0], field, record);
    case '!~': return !anyPrefix(condition.values[0], field, record);
  }
}

function compareNumber(n: number, op: '>=' | '<=' | '>' | '<', limit: number): boolean {
  if (op === '>=') return n >= limit;
  if (op === '<=') return n <= limit;
  return op === '>' ? n > limit : n < limit;
}

function anyEqual(condition: Condition, field: FieldRef, record: MatchRecord): boolean {
  const numbers = numbersOf(record, field);
  const texts = valuesOf(record, field).map(foldValue);
  return condition.values.some((v, i) => {
    const n = condition.numbers[i];
    if (n !== null && numbers.includes(n)) return true;
    return texts.includes(foldValue(v));
  });
}

/** Prefix match; on the sector column, codes compare as codes, with or without the section letter and dots. */
function anyPrefix(prefix: string, field: FieldRef, record: MatchRecord): boolean {
  const folded = foldValue(prefix);
  const code = field.kind === 'role' && field.role === 'sector' ? parseSector(prefix) : null;
  return valuesOf(record, field).some((v) => {
    if (code?.kind === 'code') {
      const s = parseSector(v);
      if (s?.kind === 'code') return s.digits.startsWith(code.digits) && (!code.section || !s.section || code.section === s.section);
    }
    return foldValue(v).startsWith(folded);
  });
}

/** One line for messages: `trl >= 5`. */
export function describeCondition(condition: Condition, field?: FieldRef): string {
  const column = field ? describeField(field) : condition.column;
  return `${column} ${condition.op} ${condition.values.join(',')}`;
}
