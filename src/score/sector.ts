import { tagKey } from './tags.js';
import type { ConceptMatcher } from '../text/concepts.js';

/**
 * A sector value: a hierarchical ATECO/NACE code ("C13.20", "13.2", "C 28") or,
 * for anything else ("fintech"), a normalised label compared exactly.
 */
export type Sector = { kind: 'code'; section: string; digits: string } | { kind: 'label'; label: string };

const CODE = /^([A-U])?\s*(\d{2}(?:\.?\d){0,4})$/;

export function parseSector(value: string, concepts?: ConceptMatcher | null): Sector | null {
  const trimmed = value.trim().toUpperCase();
  if (!trimmed) return null;
  const m = CODE.exec(trimmed);
  if (m) return { kind: 'code', section: m[1] ?? '', digits: m[2].replace(/\./g, '') };
  // Labels compare like tags: plurals folded, and through the glossary across languages ("agroalimentare" = "agrifood").
  const label = tagKey(value, concepts);
  return label ? { kind: 'label', label } : null;
}

/**
 * Credit for two sector values (the scale is in the README):
 *   1    same code, or one code contains the other (C13 and C13.20), or the same label
 *   0.9  same class (4 digits), 0.75 same group (3 digits), 0.5 same division (2 digits)
 *   0.25 only the same section letter (C13 and C28: both manufacturing)
 *   0    otherwise
 */
export function sectorPairScore(a: Sector, b: Sector): number {
  if (a.kind === 'label' || b.kind === 'label') {
    return a.kind === 'label' && b.kind === 'label' && a.label === b.label ? 1 : 0;
  }
  if (a.digits.startsWith(b.digits) || b.digits.startsWith(a.digits)) return 1;
  let shared = 0;
  while (shared < a.digits.length && a.digits[shared] === b.digits[shared]) shared++;
  if (shared >= 4) return 0.9;
  if (shared === 3) return 0.75;
  if (shared === 2) return 0.5;
  return a.section && a.section === b.section ? 0.25 : 0;
}

/** Best credit over every pair of values; null when either side has none. */
export function sectorScore(needSectors: readonly Sector[], solutionSectors: readonly Sector[]): number | null {
  if (needSectors.length === 0 || solutionSectors.length === 0) return null;
  let best = 0;
  for (const a of needSectors) for (const b of solutionSectors) best = Math.max(best, sectorPairScore(a, b));
  return best;
}
