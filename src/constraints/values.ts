import type { MatchRecord } from '../model.js';
import { columnKey, type ColumnMapping } from '../io/columns.js';
import { splitMulti } from '../io/records.js';
import { foldAccents } from '../text/tokenize.js';

/**
 * Reading the values of one column of a record, for filters and requirements:
 * plain data in, plain data out.
 */

/** Text as filters compare it: accents, case and runs of spaces, `-` and `_` folded ("Emilia-Romagna" = "emilia romagna"). */
export function foldValue(text: string): string {
  return foldAccents(text).toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

/** A number as people type it in a cell: `5`, `5.5`, `5,5`, `+3`; null for anything else. */
export function parseCellNumber(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** What a filter reads from a record: the roles `match` detected, or a column as written in the file. */
export type FieldRef = { kind: 'role'; role: 'id' | 'name' | 'title' | 'text' | 'tags' | 'sector' } | { kind: 'column'; column: string };

export const FIELD_ROLES = ['id', 'name', 'title', 'text', 'tags', 'sector'] as const;

/**
 * Finds `name` among the file's columns (exactly, then loosely: any case,
 * accents or punctuation), else among the roles. Null when neither has it.
 */
export function resolveField(name: string, columns: readonly string[], mapping: ColumnMapping): FieldRef | null {
  const exact = columns.find((c) => c === name);
  if (exact !== undefined) return fieldOfColumn(exact, mapping);
  const key = columnKey(name);
  const role = FIELD_ROLES.find((r) => r === key || (r === 'sector' && (key === 'sectors' || key === 'settore')));
  if (role) return { kind: 'role', role };
  const loose = columns.find((c) => columnKey(c) === key);
  return loose === undefined ? null : fieldOfColumn(loose, mapping);
}

/** The tags and sector columns are read as the record's parsed lists, so they split the same way scoring does. */
function fieldOfColumn(column: string, mapping: ColumnMapping): FieldRef {
  if (column === mapping.tags) return { kind: 'role', role: 'tags' };
  if (column === mapping.sector) return { kind: 'role', role: 'sector' };
  return { kind: 'column', column };
}

export function describeField(field: FieldRef): string {
  return field.kind === 'role' ? field.role : field.column;
}

/** The whole cell, as read (lists joined with `; `). */
export function cellOf(record: MatchRecord, field: FieldRef): string {
  if (field.kind === 'column') return record.fields[field.column] ?? '';
  switch (field.role) {
    case 'tags': return record.tags.join('; ');
    case 'sector': return record.sectors.join('; ');
    default: return record[field.role];
  }
}

/**
 * The values a cell holds: lists as parsed, other cells whole and, when they
 * hold `;` `|` or `,`, also each part (so "Lombardia; Piemonte" matches
 * either, and "Rossi, Bianchi & C." still matches whole). Empty cells hold none.
 */
export function valuesOf(record: MatchRecord, field: FieldRef): string[] {
  if (field.kind === 'role') {
    if (field.role === 'tags') return record.tags;
    if (field.role === 'sector') return record.sectors;
  }
  const whole = cellOf(record, field).trim();
  if (!whole) return [];
  const parts = splitMulti(whole);
  return parts.length === 1 && parts[0] === whole ? [whole] : [whole, ...parts];
}

/** Numbers in a cell: the whole cell when it is one (so a decimal comma is not a list), else each part that is. */
export function numbersOf(record: MatchRecord, field: FieldRef): number[] {
  const whole = parseCellNumber(cellOf(record, field));
  if (whole !== null) return [whole];
  const out: number[] = [];
  for (const v of valuesOf(record, field)) {
    const n = parseCellNumber(v);
    if (n !== null) out.push(n);
  }
  return out;
}
