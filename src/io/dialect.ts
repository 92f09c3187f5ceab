export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * Picks the delimiter from the header line: the candidate that occurs most
 * often outside quotes. Italian Excel writes `;`. Quote-aware because headers
 * like "Ragione sociale, sede" are common.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c === '\n' || c === '\r') break;
      const n = counts.get(c);
      if (n !== undefined) counts.set(c, n + 1);
    }
  }
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = counts.get(d)!;
    if (n > bestCount) { best = d; bestCount = n; }
  }
  return best;
}

/** Excel's `sep=;` first line names the delimiter; returns it and the text after that line. */
export function excelSeparatorLine(text: string): { delimiter: string; rest: string; lines: number } | null {
  const m = /^"?sep=(.)"?\r?\n/i.exec(text);
  return m ? { delimiter: m[1], rest: text.slice(m[0].length), lines: 1 } : null;
}

export function describeDelimiter(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}
