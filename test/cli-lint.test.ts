import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { FIXTURES, runCli, tempDir } from './helpers/cli.js';
import { findNearDuplicates } from '../src/lint/near-duplicates.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function write(name: string, bytes: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

interface LintJson {
  datasets: { file: string; role: string; records: number; format: string; encoding: string; delimiter?: string; mapping: Record<string, unknown>; languages: { en: number; it: number; undetermined: number } }[];
  findings: { severity: string; check: string; file: string; count: number; message: string; examples: string[] }[];
  totals: { error: number; warning: number; note: number };
}

const NEEDS = [
  'id;title;description;tags;settore',
  'N1;Riciclo lana;Cerchiamo un sistema per il riciclo della lana tessile rigenerata nella città di Prato;riciclo|lana;C13',
  'N2;Sensori campi;Vogliamo sensori per agricoltura di precisione e irrigazione dei vigneti in collina;sensori|agricoltura;A01',
  'N3;sensori, campi!;Vogliamo sensori per agricoltura di precisione e irrigazione dei vigneti in collina;sensori;A01',
  'N4;;;blockchian;',
  'N5;Breve;Solo due parole;;',
].join('\n');

const SOLUTIONS = [
  'id,name,description,tags,sector',
  'S1,Lanificio,"We recycle wool and textile waste into regenerated yarn for fashion brands in Prato and Biella",recycling|wool,C13',
  'S2,AgriSens,"Soil moisture sensors and precision irrigation for vineyards, orchards and open-field farms",sensors|agriculture,A01',
  'S3,AgriSens copy,"Soil moisture sensors and precision irrigation for vineyards, orchards and open-field farms!",sensors,A01',
  'S4,AgriSens twin,"Soil moisture sensors and precision irrigation for vineyards, orchards and open field farming",sensors,A01',
  'S5,Ghost,,,',
].join('\n');

describe('match lint', () => {
  it('reports counts, columns, format, encoding, delimiter and languages for clean files, exit 0', async () => {
    const r = await runCli(['lint', join(FIXTURES, 'needs.csv'), join(FIXTURES, 'startups.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${join(FIXTURES, 'needs.csv')} (needs): 30 records, CSV ',', utf-8`);
    expect(r.stdout).toMatch(/columns {3}id=id, name=company, title=title, text=description, tags=tags, sector=sector/);
    expect(r.stdout).toMatch(/language {2}\d+ Italian, \d+ English, \d+ undetermined/);
    expect(r.stdout).toMatch(/\n0 errors, \d+ warnings?, \d+ notes?\n$/);
  });

  it('finds empty, short, duplicate and near-duplicate records and records the blend treats oddly', async () => {
    const needs = await write('needs.csv', iconv.encode(NEEDS, 'windows-1252'));
    const solutions = await write('startups.csv', SOLUTIONS);
    const r = await runCli(['lint', needs, solutions, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as LintJson;
    expect(report.datasets.map((d) => [d.role, d.records, d.format, d.encoding, d.delimiter])).toEqual([
      ['needs', 5, 'csv', 'windows-1252', ';'],
      ['solutions', 5, 'csv', 'utf-8', ','],
    ]);
    // N4 has no words and N5 no stop words to tell.
    expect(report.datasets[0].languages).toEqual({ en: 0, it: 3, undetermined: 2 });
    expect(report.datasets[1].languages.en).toBe(4);
    const find = (check: string, file: string) => report.findings.find((f) => f.check === check && f.file === file);
    expect(find('duplicate-text', needs)).toMatchObject({ severity: 'warning', count: 1, examples: [`N2 (${needs}:3) = N3 (${needs}:4)`] });
    expect(find('duplicate-text', solutions)?.examples).toEqual([`S2 (${solutions}:3) = S3 (${solutions}:4)`]);
    expect(find('near-duplicate', solutions)).toMatchObject({ severity: 'warning', count: 1 });
    expect(find('near-duplicate', solutions)?.examples[0]).toMatch(/^S2 .* ~ S4 .* \(\d+%\)$/);
    expect(find('metadata-only', needs)?.examples).toEqual([`N4 (${needs}:5)`]);
    expect(find('unmatchable', solutions)?.examples).toEqual([`S5 (${solutions}:6)`]);
    expect(find('short-text', needs)?.examples).toEqual([`N5 (${needs}:6)`]);
    expect(find('rare-tag', '*')?.examples).toContain(`blockchian (${needs}:5)`);
    expect(find('unshared-tags', needs)).toMatchObject({ severity: 'note' });
    expect(find('language-mismatch', '*')).toMatchObject({ severity: 'note' });
    expect(report.totals.error).toBe(0);
    expect(report.totals.warning).toBeGreaterThanOrEqual(6);
  });

  it('--strict exits 1 on warnings, for pipelines to gate on; the text report lists them', async () => {
    const needs = await write('needs.csv', NEEDS);
    const solutions = await write('startups.csv', SOLUTIONS);
    const r = await runCli(['lint', needs, solutions, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`warning  ${solutions}  duplicate-text`);
    expect(r.stdout).toContain(`    S5 (${solutions}:6)`);
    expect(r.stdout).toMatch(/\n0 errors, \d+ warnings, \d+ notes\n$/);
  });

  it('a file that cannot be loaded is an error: exit 3, one line on stderr, the other file still reported', async () => {
    const needs = await write('needs.csv', 'id,description\nN1,a\nN1,b\n');
    const r = await runCli(['lint', needs, join(FIXTURES, 'startups.csv'), '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`match: ${needs}:3: duplicate id 'N1' (first seen at line 2); ids must be unique\n`);
    const report = JSON.parse(r.stdout) as LintJson;
    expect(report.findings[0]).toMatchObject({ severity: 'error', check: 'load', file: needs });
    expect(report.datasets.map((d) => d.role)).toEqual(['solutions']);
  });

  it('is also called inspect; usage errors exit 2', async () => {
    const r = await runCli(['inspect', join(FIXTURES, 'needs.csv'), join(FIXTURES, 'startups.csv'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).datasets).toHaveLength(2);
    expect((await runCli(['lint', join(FIXTURES, 'needs.csv')])).code).toBe(2);
    expect((await runCli(['lint', join(FIXTURES, 'needs.csv'), join(FIXTURES, 'startups.csv'), '--format', 'xml'])).code).toBe(2);
    const missing = await runCli(['lint', join(FIXTURES, 'needs.csv'), join(FIXTURES, 'startups.csv'), '--solution-tags', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no column 'nope' \(given by --solution-tags\)/);
  });

  it('is byte-identical across runs', async () => {
    const args = ['lint', join(FIXTURES, 'needs.csv'), join(FIXTURES, 'startups.csv')];
    expect((await runCli(args)).stdout).toBe((await runCli(args)).stdout);
  });
});

describe('near-duplicate search', () => {
  /** Every pair, compared the slow way. */
  function bruteForce(sets: string[][], t: number): string[] {
    const out: string[] = [];
    for (let a = 0; a < sets.length; a++) {
      for (let b = a + 1; b < sets.length; b++) {
        const x = new Set(sets[a]);
        const y = new Set(sets[b]);
        if (x.size === 0 || y.size === 0) continue;
        const shared = [...x].filter((v) => y.has(v)).length;
        if (shared / (x.size + y.size - shared) >= t) out.push(`${a}-${b}`);
      }
    }
    return out;
  }

  it('finds exactly the pairs a full comparison finds', () => {
    const set = fc.array(fc.constantFrom(...'abcdefghijkl'.split('')), { maxLength: 10 });
    fc.assert(
      fc.property(fc.array(set, { maxLength: 25 }), fc.constantFrom(0.5, 0.7, 0.8, 0.9, 1), (sets, t) => {
        const found = findNearDuplicates(sets, t).pairs.map((p) => `${p.a}-${p.b}`);
        expect(found).toEqual(bruteForce(sets, t));
      }),
      { numRuns: 300 },
    );
  });

  it('stops at the comparison cap and says so', () => {
    const sets = Array.from({ length: 200 }, () => ['same', 'words', 'everywhere']);
    const capped = findNearDuplicates(sets, 0.9, 1000);
    expect(capped.truncated).toBe(true);
    expect(capped.pairs.length).toBeLessThanOrEqual(1000);
    expect(findNearDuplicates(sets, 0.9).pairs).toHaveLength((200 * 199) / 2);
  });
});
