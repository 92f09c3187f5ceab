import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conceptTerms, createConceptMatcher, findConcepts, mergeGlossaries, parseGlossary, type Glossary } from '../src/text/concepts.js';
import { tokenize } from '../src/text/tokenize.js';
import { STOPWORDS } from '../src/text/stopwords.js';
import { tagKey } from '../src/score/tags.js';
import { rank } from '../src/rank/rank.js';
import type { MatchRecord } from '../src/model.js';
import { ROOT } from './helpers/cli.js';

const text = readFileSync(join(ROOT, 'glossary/default.csv'), 'utf8');
const glossary = parseGlossary(text) as Glossary;
const matcher = createConceptMatcher(glossary);
const concepts = (s: string, lang?: 'en' | 'it') => findConcepts(tokenize(s), matcher, lang).map((h) => h.concept);

// Words too general to stand for one concept on their own (they may appear inside phrases).
const GENERIC = ['sistema', 'system', 'processo', 'process', 'nuovo', 'new', 'uso', 'use', 'dati', 'data', 'soluzione', 'solution', 'prodotto', 'product', 'servizio', 'service', 'azienda', 'company', 'progetto', 'project', 'tecnologia', 'technology', 'innovazione', 'innovation', 'qualità', 'quality', 'sviluppo', 'development', 'gestione', 'management', 'mercato', 'market', 'cliente', 'customer', 'materiale', 'material', 'lavoro', 'work', 'tempo', 'time', 'costo', 'cost', 'energia', 'energy', 'ricerca', 'research', 'rete', 'network', 'produzione', 'production', 'industria', 'industry', 'controllo', 'control', 'analisi', 'analysis', 'piattaforma', 'platform', 'impianto', 'plant', 'macchina', 'machine', 'prodotti', 'sistemi', 'servizi', 'soluzioni'];

describe('the built-in glossary', () => {
  it('parses, and has at least 1,500 concepts', () => {
    expect('problem' in parseGlossary(text)).toBe(false);
    expect(glossary.concepts.length).toBeGreaterThanOrEqual(1500);
    expect(new Set(glossary.concepts.map((c) => c.id)).size).toBe(glossary.concepts.length);
  });

  it('gives every concept Italian and English forms', () => {
    for (const c of glossary.concepts) {
      expect(c.it.length, c.id).toBeGreaterThan(0);
      expect(c.en.length, c.id).toBeGreaterThan(0);
    }
  });

  it('maps no stop word or overly common word on its own', () => {
    const offenders: string[] = [];
    for (const c of glossary.concepts) {
      for (const [form, lang] of [...c.it.map((f) => [f, 'it'] as const), ...c.en.map((f) => [f, 'en'] as const)]) {
        const tokens = tokenize(form);
        if (tokens.length === 0) offenders.push(`${c.id}: '${form}' has no word`);
        // A form made only of stop words of its own language would match every text.
        else if (tokens.every((t) => STOPWORDS[lang].has(t))) offenders.push(`${c.id}: '${form}' is a stop word`);
        else if (tokens.length === 1 && GENERIC.includes(tokens[0])) offenders.push(`${c.id}: '${form}' is too common`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('gives no form to two concepts', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of glossary.concepts) {
      for (const form of [...c.it, ...c.en]) {
        const key = tokenize(form).join(' ');
        const other = owner.get(key);
        if (other && other !== c.id) clashes.push(`'${form}': ${other} and ${c.id}`);
        owner.set(key, c.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('covers the vocabulary of the issue in both languages', () => {
    for (const [it, en] of [['economia circolare', 'circular economy'], ['gemello digitale', 'digital twin'], ['intelligenza artificiale', 'artificial intelligence'], ['fibra di carbonio', 'carbon fiber'], ['riciclo', 'recycling'], ['tracciabilità', 'traceability'], ['manutenzione predittiva', 'predictive maintenance']]) {
      expect(concepts(it), it).toHaveLength(1);
      expect(concepts(it)).toEqual(concepts(en));
    }
    expect(concepts('AI', 'en')).toEqual(concepts('artificial intelligence'));
    expect(concepts('carbon fibre')).toEqual(concepts('carbon fiber'));
  });
});

describe('concept matching', () => {
  const tiny = parseGlossary('concept,domain,it,en\nwaste,environment,rifiuti|scarti,waste\ntextile_waste,textile,scarti tessili|rifiuti tessili,textile waste\nai,digital,ia,ai\n') as Glossary;
  const m = createConceptMatcher(tiny);

  it('takes the longest phrase first, after folding case and accents', () => {
    expect(findConcepts(tokenize('Riciclo degli SCARTI TESSILI e degli scarti'), m).map((h) => h.concept)).toEqual(['textile_waste', 'waste']);
    expect(findConcepts(tokenize('Textile waste'), m)).toEqual([{ concept: 'textile_waste', start: 0, end: 2, formLang: 'en' }]);
  });

  it('matches a stop-word form only in its own language', () => {
    expect(findConcepts(tokenize('AI for factories'), m, 'en').map((h) => h.concept)).toEqual(['ai']);
    expect(findConcepts(tokenize('vendiamo ai clienti'), m, 'it')).toEqual([]);
  });

  it('makes terms that only meet across languages', () => {
    // A need asks in the other language; a solution indexes in its own.
    expect(conceptTerms(tokenize('riciclo degli scarti'), m, 'query', 'it')).toEqual(['§waste@en']);
    expect(conceptTerms(tokenize('waste recovery'), m, 'document', 'en')).toEqual(['§waste@en']);
    expect(conceptTerms(tokenize('waste recovery'), m, 'query', 'en')).toEqual(['§waste@it']);
    // An English word inside an Italian text matches as a word, not as a concept.
    expect(conceptTerms(tokenize('gestione del waste'), m, 'document', 'it')).toEqual([]);
  });

  it('lets a user glossary add and override entries by id', () => {
    const extra = parseGlossary('concept,domain,it,en\nwaste,environment,sfridi,scrap\nbrand_new,business,marchio,brand\n') as Glossary;
    const merged = mergeGlossaries(tiny, extra);
    expect(merged.concepts.map((c) => c.id)).toEqual(['waste', 'textile_waste', 'ai', 'brand_new']);
    expect(merged.concepts[0].en).toEqual(['scrap']);
  });

  it('reports a malformed line', () => {
    expect(parseGlossary('concept,domain,it,en\nx,d,only italian\n')).toEqual({ line: 2, problem: expect.stringMatching(/expected 4 fields/) });
    expect(parseGlossary('concept,domain,it,en\nx,d,,waste\n')).toEqual({ line: 2, problem: expect.stringMatching(/Italian and one English/) });
  });

  it('lets Italian and English tags meet through concepts', () => {
    expect(tagKey('Tracciabilità', matcher)).toBe(tagKey('traceability', matcher));
    expect(tagKey('riciclo tessile', matcher)).toBe(tagKey('textile recycling', matcher));
    expect(tagKey('riciclo tessile')).not.toBe(tagKey('textile recycling'));
  });
});

describe('cross-language ranking', () => {
  const record = (id: string, text: string, tags: string[] = []): MatchRecord => ({ id, name: id, title: '', text, tags, sectors: [], fields: {}, line: 1 });
  const needs = [record('N1', 'Cerchiamo una tecnologia per il riciclo degli scarti tessili e la manutenzione predittiva delle presse')];
  const startups = [
    record('S1', 'We provide textile waste recycling and predictive maintenance for presses.'),
    record('S2', 'A blockchain marketplace for digital art collectors and galleries.'),
    record('S3', 'Cloud accounting software for restaurants and bars with online booking.'),
  ];

  it('leaves same-language ranking exactly as it is without the layer', () => {
    const english = [record('Q', 'textile waste recycling and predictive maintenance')];
    const a = rank(english, startups, { concepts: matcher, weights: { text: 1, tags: 0, sector: 0 } });
    const b = rank(english, startups, { weights: { text: 1, tags: 0, sector: 0 } });
    expect(a[0].matches.map((m) => [m.solutionId, m.score])).toEqual(b[0].matches.map((m) => [m.solutionId, m.score]));
  });

  it('ranks the English profile of the same concepts first, and explains it with ≈', () => {
    const withLayer = rank(needs, startups, { concepts: matcher, weights: { text: 1, tags: 0, sector: 0 } })[0];
    expect(withLayer.matches[0].solutionId).toBe('S1');
    expect(withLayer.matches[0].topTerms.some((t) => /≈/.test(t))).toBe(true);
    const without = rank(needs, startups, { weights: { text: 1, tags: 0, sector: 0 } })[0];
    expect(without.matches.find((m) => m.solutionId === 'S1')?.score ?? 0).toBeLessThan(withLayer.matches[0].score);
  });
});

describe('sectors through concepts', () => {
  it('lets an Italian sector label meet its English name', async () => {
    const { parseSector, sectorPairScore } = await import('../src/score/sector.js');
    const a = parseSector('Agroalimentare', matcher)!;
    const b = parseSector('agrifood', matcher)!;
    expect(sectorPairScore(a, b)).toBe(1);
    expect(sectorPairScore(parseSector('Agroalimentare')!, parseSector('agrifood')!)).toBe(0);
  });
});
