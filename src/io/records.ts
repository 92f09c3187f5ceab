import type { MatchRecord } from '../model.js';
import { inputError } from '../errors.js';
import type { ColumnMapping } from './columns.js';
import type { CellValue, Row, Table } from './parse-table.js';

export type DatasetRole = 'needs' | 'solutions';

/** Splits a multi-value cell: a JSON array, or values separated by `;` `|` or `,`. */
export function splitMulti(value: CellValue | undefined): string[] {
  if (value === undefined) return [];
  let items: string[];
  if (Array.isArray(value)) {
    items = value;
  } else {
    const trimmed = value.trim();
    items = [trimmed];
    if (trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) items = parsed.map(String);
      } catch {
        // Not JSON after all: split as text below.
      }
    }
    if (items.length === 1 && items[0] === trimmed) items = trimmed.split(/[;|,]/);
  }
  const out: string[] = [];
  for (const item of items) {
    const v = item.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export function cellText(value: CellValue | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join('; ') : value;
}

/** A short excerpt to stand in for a missing title. */
function excerpt(text: string, words = 8): string {
  const parts = text.trim().split(/\s+/);
  return parts.length <= words ? parts.join(' ') : `${parts.slice(0, words).join(' ')}…`;
}

/**
 * Turns parsed rows into records under a column mapping. Ids are strings and
 * must be present and unique; the first problem stops with its line.
 */
export function recordsFromTable(table: Table, mapping: ColumnMapping, file: string, role: DatasetRole): { records: MatchRecord[]; emptyText: MatchRecord[] } {
  const builder = new RecordBuilder(mapping, file, role, table.unit);
  for (const row of table.rows) builder.add(row);
  return { records: builder.records, emptyText: builder.emptyText };
}

/**
 * A record's cells by column name. Column names are data (a file may have a
 * column `__proto__` or `constructor`), so nothing is inherited from
 * Object.prototype; but unlike Object.create(null), which V8 keeps as a hash
 * table per object, objects made by one constructor share their layout: on the
 * SBIR awards (85,000 records of 11 columns) building them cost less than half
 * as much, and they take about a third of the memory.
 */
const Fields = function Fields(this: Record<string, string>) {} as unknown as new () => Record<string, string>;
Fields.prototype = Object.create(null) as object;

/** `recordsFromTable` a row at a time, for rows that arrive as a file is read. */
export class RecordBuilder {
  readonly records: MatchRecord[] = [];
  readonly emptyText: MatchRecord[] = [];
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly mapping: ColumnMapping,
    private readonly file: string,
    private readonly role: DatasetRole,
    private readonly unit: Table['unit'],
  ) {}

  /** The record of `row`, also added to `records`; throws on an empty or repeated id. */
  add(row: Row): MatchRecord {
    const { mapping, file, role, unit, seen } = this;
    const idColumn = mapping.id!;
    const id = cellText(row.cells.get(idColumn)).trim();
    if (!id) throw inputError(file, row.line, `${unit === 'record' ? `record ${row.line} has` : 'the row has'} an empty id in column '${idColumn}'; every record needs a unique id`);
    const first = seen.get(id);
    if (first !== undefined) {
      throw inputError(file, row.line, `duplicate id '${id}' (first seen at ${unit} ${first}); ids must be unique`);
    }
    seen.set(id, row.line);
    const title = mapping.title ? cellText(row.cells.get(mapping.title)).trim() : '';
    const text = mapping.text.map((c) => cellText(row.cells.get(c)).trim()).filter(Boolean).join('\n');
    const rawName = mapping.name ? cellText(row.cells.get(mapping.name)).trim() : '';
    const name = role === 'needs' ? title || rawName || excerpt(text) : rawName || title || id;
    const fields = new Fields();
    for (const [key, value] of row.cells) fields[key] = cellText(value);
    const record: MatchRecord = {
      id,
      name,
      title,
      text,
      tags: mapping.tags ? splitMulti(row.cells.get(mapping.tags)) : [],
      sectors: mapping.sector ? splitMulti(row.cells.get(mapping.sector)) : [],
      fields,
      line: row.line,
    };
    if (!text) this.emptyText.push(record);
    this.records.push(record);
    return record;
  }
}
