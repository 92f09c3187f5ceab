import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConceptMatcher, parseGlossary, type ConceptMatcher } from '../src/text/concepts.js';
import { decodeGlossaryCache, encodeGlossaryCache, glossaryCacheJson } from '../src/io/glossary-cache.js';

type Node = ConceptMatcher['root'];

/** The trie as plain data, children by word in sorted order. */
function plain(node: Node): unknown {
  return { concept: node.concept, onlyIn: node.onlyIn, formLang: node.formLang, next: [...node.next].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, c]) => [w, plain(c)]) };
}

describe('prebuilt glossary trie', () => {
  const text = readFileSync(new URL('../glossary/default.csv', import.meta.url), 'utf8');
  const glossary = parseGlossary(text);
  if ('problem' in glossary) throw new Error(glossary.problem);
  const built = createConceptMatcher(glossary);

  it('reads back the trie the glossary builds', () => {
    const cache = JSON.parse(glossaryCacheJson(encodeGlossaryCache(built, text)));
    const read = decodeGlossaryCache(cache, text)!;
    expect(read.size).toBe(built.size);
    expect(plain(read.root)).toEqual(plain(built.root));
  });

  it('is written as ASCII, and reads back every character', () => {
    const cache = encodeGlossaryCache(built, text);
    const json = glossaryCacheJson(cache);
    expect(json).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(json)).toEqual(cache);
    expect(cache.words).toContain('skłodowska');
  });

  it('gives a trie read back from a cache that same cache, as walking the built trie gives it', () => {
    const cache = JSON.parse(glossaryCacheJson(encodeGlossaryCache(built, text)));
    const read = decodeGlossaryCache(cache, text)!;
    // Named after another text ('' is what worker threads are sent), the same trie.
    const again = encodeGlossaryCache(read, '');
    expect(again).toEqual(encodeGlossaryCache(built, ''));
    expect(decodeGlossaryCache(again, '')).not.toBeNull();
    expect(decodeGlossaryCache(again, text)).toBeNull();
  });

  it('matches the glossary file by its bytes as by its text', () => {
    const cache = encodeGlossaryCache(built, text);
    expect(decodeGlossaryCache(cache, Buffer.from(text, 'utf8'))).not.toBeNull();
  });

  it('is copied whole by structured cloning, as ranking threads receive it, before any node is reached', () => {
    const read = decodeGlossaryCache(encodeGlossaryCache(built, text), text)!;
    const copy = structuredClone(read);
    expect(copy.size).toBe(built.size);
    expect(copy.phraseWords).toEqual(read.phraseWords);
    expect(plain(copy.root)).toEqual(plain(built.root));
  });

  it('is ignored once the glossary text changes', () => {
    const cache = encodeGlossaryCache(built, text);
    expect(decodeGlossaryCache(cache, `${text}\nextra,other,extra,extra\n`)).toBeNull();
  });
});
