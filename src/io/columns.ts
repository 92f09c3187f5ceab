import { foldAccents } from '../text/tokenize.js';

/** The roles a column can play. `name` is the display name (startups); `title` is weighted text. */
export type Role = 'id' | 'name' | 'title' | 'text' | 'tags' | 'sector';
export const ROLES: readonly Role[] = ['id', 'name', 'title', 'text', 'tags', 'sector'];

/** Which columns play which role; `text` may join several columns. */
export interface ColumnMapping {
  id?: string;
  name?: string;
  title?: string;
  text: string[];
  tags?: string;
  sector?: string;
}

/** Column names given on the command line or in a config, per role (`text` may list several). */
export type ColumnOverrides = Partial<Record<Role, string[]>>;

/** Header key for loose comparison: accents, case and punctuation folded ("Parole chiave" → "parole_chiave"). */
export function columnKey(name: string): string {
  return foldAccents(name).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

// English and Italian names, compared by columnKey. Order within a list is preference.
const ALIASES: Record<Role, string[]> = {
  id: ['id', 'codice', 'code', 'cod', 'identifier', 'identificativo', 'uid', 'key', 'record_id', 'need_id', 'solution_id', 'startup_id', 'challenge_id', 'company_id', 'ref', 'riferimento'],
  name: ['name', 'nome', 'ragione_sociale', 'firm', 'company', 'company_name', 'azienda', 'impresa', 'startup', 'startup_name', 'denominazione', 'organization', 'organisation', 'organizzazione', 'societa', 'brand'],
  title: ['title', 'titolo', 'oggetto', 'subject', 'challenge', 'need', 'fabbisogno', 'sfida', 'headline'],
  text: ['description', 'descrizione', 'text', 'testo', 'abstract', 'one_liner', 'oneliner', 'payoff', 'tagline', 'summary', 'sommario', 'sintesi', 'riassunto', 'body', 'details', 'dettagli', 'problem', 'problema', 'solution', 'soluzione', 'short_description', 'long_description', 'descrizione_breve', 'descrizione_estesa', 'pitch', 'about', 'overview', 'value_proposition', 'proposta_di_valore', 'requirements', 'requisiti', 'bisogno', 'esigenza', 'note', 'notes'],
  tags: ['tags', 'tag', 'keywords', 'keyword', 'key_words', 'parole_chiave', 'parola_chiave', 'etichette', 'topics', 'temi', 'technologies', 'tecnologie', 'enabling_technologies', 'tecnologie_abilitanti'],
  sector: ['sector', 'sectors', 'settore', 'settori', 'industry', 'industries', 'category', 'categories', 'categoria', 'categorie', 'ateco', 'codice_ateco', 'ateco_code', 'nace', 'nace_code', 'industry_code', 'comparto', 'ambito'],
};

const ALIAS_KEYS: Record<Role, string[]> = Object.fromEntries(ROLES.map((r) => [r, ALIASES[r].map(columnKey)])) as Record<Role, string[]>;

/** The file's column matching `wanted` loosely, or undefined. */
export function findColumn(columns: readonly string[], wanted: string): string | undefined {
  return columns.find((c) => c === wanted) ?? columns.find((c) => columnKey(c) === columnKey(wanted));
}

/**
 * Assigns columns to roles by name. Every text-like column is used for `text`;
 * the other roles take the best-ranked alias present. A column plays one role.
 * Overrides name columns explicitly; unknown override names are reported.
 */
export function detectColumns(columns: readonly string[], overrides: ColumnOverrides = {}): { mapping: ColumnMapping; missing: { role: Role; column: string }[] } {
  const used = new Set<string>();
  const missing: { role: Role; column: string }[] = [];
  const mapping: ColumnMapping = { text: [] };

  // Explicit choices first, so detection never steals their columns.
  for (const role of ROLES) {
    const wanted = overrides[role];
    if (!wanted) continue;
    const found: string[] = [];
    for (const w of wanted) {
      const column = findColumn(columns, w);
      if (column === undefined) missing.push({ role, column: w });
      else { found.push(column); used.add(column); }
    }
    if (role === 'text') mapping.text = found;
    else mapping[role] = found[0];
  }

  const byKey = new Map(columns.map((c) => [columnKey(c), c] as const));
  for (const role of ['id', 'sector', 'tags', 'title', 'name'] as const) {
    if (overrides[role]) continue;
    for (const alias of ALIAS_KEYS[role]) {
      const column = byKey.get(alias);
      if (column !== undefined && !used.has(column)) {
        mapping[role] = column;
        used.add(column);
        break;
      }
    }
  }
  if (!overrides.text) {
    // All text-like columns, in the file's order.
    mapping.text = columns.filter((c) => !used.has(c) && ALIAS_KEYS.text.includes(columnKey(c)));
  }
  return { mapping, missing };
}

/** "id=codice, title=titolo, text=descrizione+payoff, tags=tags" for the stderr summary. */
export function describeMapping(mapping: ColumnMapping): string {
  const parts: string[] = [];
  for (const role of ROLES) {
    const value = role === 'text' ? mapping.text.join('+') : mapping[role];
    if (value) parts.push(`${role}=${value}`);
  }
  return parts.join(', ');
}
