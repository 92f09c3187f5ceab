import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConceptMatcher, parseGlossary, type ConceptMatcher } from '../src/text/concepts.js';
import { decodeGlossaryCache, encodeGlossaryCache, glossaryCacheCurrent, glossaryCacheJson } from '../src/io/glossary-cache.js';
import { receivedGlossary, sendableGlossary } from '../src/index/parallel-analysis.js';

/** The trie below `node` as nested plain data, children by word in sorted order. */
function plain(trie: ConceptMatcher, node = 0): unknown {
  const { first, end } = trie.childrenOf(node);
  const next: [string, unknown][] = [];
  for (let m = first; m < end; m++) {
    expect(trie.child(node, trie.words[m - 1])).toBe(m);
    next.push([trie.words[m - 1], plain(trie, m)]);
  }
  return { concept: trie.concept(node), onlyIn: trie.onlyIn(node), formLang: trie.formLang(node), next: next.sort(([a], [b]) => (a < b ? -1 : 1)) };
}

describe('prebuilt glossary trie', () => {
  const text = readFileSync(new URL('../glossary/default.csv', import.meta.url), 'utf8');
  const glossary = parseGlossary(text);
  if ('problem' in glossary) throw new Error(glossary.problem);
  const built = createConceptMatcher(glossary);

  it('reads back the trie the glossary builds', () => {
    const cache = JSON.parse(glossaryCacheJson(encodeGlossaryCache(built)));
    const read = decodeGlossaryCache(cache)!;
    expect(read.size).toBe(built.size);
    expect(plain(read)).toEqual(plain(built));
  });

  it('is written as ASCII, and reads back every character', () => {
    const cache = encodeGlossaryCache(built);
    const json = glossaryCacheJson(cache);
    expect(json).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(json)).toEqual(cache);
    expect(cache.words).toContain('skłodowska');
  });

  it('gives a trie read back from a cache that same cache', () => {
    const cache = JSON.parse(glossaryCacheJson(encodeGlossaryCache(built)));
    const read = decodeGlossaryCache(cache)!;
    const again = encodeGlossaryCache(read);
    expect(again).toEqual(encodeGlossaryCache(built));
    expect(decodeGlossaryCache(again)).not.toBeNull();
  });

  it('is turned down when stored in another layout', () => {
    const cache = encodeGlossaryCache(built);
    expect(decodeGlossaryCache({ ...cache, format: cache.format - 1 })).toBeNull();
  });

  it('reaches a worker whole, as its plain data cloned', () => {
    const read = decodeGlossaryCache(encodeGlossaryCache(built))!;
    const copy = receivedGlossary(structuredClone(sendableGlossary(read)));
    expect(copy.size).toBe(built.size);
    expect(copy.phraseWords).toEqual(built.phraseWords);
    expect(plain(copy)).toEqual(plain(built));
  });

  it('knows the words that continue a phrase: those of every node two or more steps from the root', () => {
    const deep = new Set<string>();
    const walk = (node: number, depth: number) => {
      const { first, end } = built.childrenOf(node);
      for (let m = first; m < end; m++) {
        if (depth >= 1) deep.add(built.words[m - 1]);
        walk(m, depth + 1);
      }
    };
    walk(0, 0);
    expect(deep.size).toBeGreaterThan(1000);
    expect(built.phraseWords).toEqual(deep);
  });

  it('is current for the glossary file it was built from, byte for byte, and for no other', () => {
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    expect(glossaryCacheCurrent(bytes, Buffer.from(text, 'utf8'))).toBe(true);
    // A view into a larger buffer, as a file read may give.
    const pooled = Buffer.concat([Buffer.from('xx'), bytes]).subarray(2);
    expect(glossaryCacheCurrent(pooled, bytes)).toBe(true);
    expect(glossaryCacheCurrent(bytes, Buffer.from(`${text}\nextra,other,extra,extra\n`, 'utf8'))).toBe(false);
    // One byte changed, the length the same.
    const edited = Buffer.from(bytes);
    edited[edited.length >> 1] ^= 1;
    expect(glossaryCacheCurrent(bytes, edited)).toBe(false);
  });
});
