import { createConceptMatcher } from '../../src/text/concepts.js';

/**
 * A small bilingual glossary for tests on random corpora: single words and
 * phrases, Italian on one side and English on the other.
 */
export const TEST_GLOSSARY = createConceptMatcher({
  concepts: [
    { id: 'recycling', domain: 'environment', it: ['riciclo'], en: ['recycling'] },
    { id: 'digital_twin', domain: 'digital', it: ['gemello digitale'], en: ['digital twin'] },
    { id: 'circular_economy', domain: 'environment', it: ['economia circolare'], en: ['circular economy'] },
    { id: 'sensor', domain: 'digital', it: ['sensori'], en: ['sensors'] },
    { id: 'water', domain: 'environment', it: ['acqua'], en: ['water'] },
  ],
});
