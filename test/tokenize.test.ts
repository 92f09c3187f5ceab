import { describe, expect, it } from 'vitest';
import { foldAccents, normalizeLabel, tokenize } from '../src/text/tokenize.js';
import { analyzeFields, termsOf } from '../src/text/analyze.js';
import { detectLanguage } from '../src/text/language.js';
import { stem } from '../src/text/stem.js';

describe('tokenize', () => {
  it('keeps accented Italian words whole', () => {
    expect(tokenize('La città, perché la qualità conta')).toEqual(['la', 'città', 'perché', 'la', 'qualità', 'conta']);
  });

  it('splits elisions at the apostrophe, both straight and curly', () => {
    expect(tokenize("dell'acqua e l’energia")).toEqual(['dell', 'acqua', 'e', 'l', 'energia']);
  });

  it('keeps digit groups and codes together', () => {
    expect(tokenize('10.000 pezzi, Industria 4.0, rete 5G, COVID-19')).toEqual(['10.000', 'pezzi', 'industria', '4.0', 'rete', '5g', 'covid', '19']);
  });

  it('treats composed and decomposed accents as the same word', () => {
    expect(tokenize('citta\u0300')).toEqual(tokenize('città'));
  });

  it('lower-cases English and drops punctuation', () => {
    expect(tokenize('Predictive-Maintenance (AI) for CNC machines!')).toEqual(['predictive', 'maintenance', 'ai', 'for', 'cnc', 'machines']);
  });

  it('folds accents and labels for loose comparison', () => {
    expect(foldAccents('Tracciabilità Perché')).toBe('Tracciabilita Perche');
    expect(normalizeLabel('  Parole   CHIAVE ')).toBe('parole chiave');
  });
});

describe('analysis', () => {
  it('detects Italian and English from stop words', () => {
    expect(detectLanguage(tokenize('Cerchiamo una soluzione per il riciclo degli scarti tessili'))).toBe('it');
    expect(detectLanguage(tokenize('We build sorting lines for the recycling of textile waste'))).toBe('en');
  });

  it('removes stop words and stems per language', () => {
    expect(termsOf(tokenize('il riciclo dei tessuti'), 'it')).toEqual([stem('riciclo', 'it'), stem('tessuti', 'it')]);
    expect(termsOf(tokenize('the recycling of fabrics'), 'en')).toEqual(['recycl', 'fabric']);
  });

  it('stems singular and plural to one term', () => {
    expect(stem('tessile', 'it')).toBe(stem('tessili', 'it'));
    expect(stem('sensors', 'en')).toBe(stem('sensor', 'en'));
  });

  it('decides one language for all fields of a record', () => {
    const a = analyzeFields(['Sensori IoT', 'Monitoraggio della stagionatura dei prosciutti con sensori'], { lang: 'auto' });
    expect(a.lang).toBe('it');
    expect(a.fields).toHaveLength(2);
    expect(analyzeFields(['x'], { lang: 'en' }).lang).toBe('en');
  });
});
