import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConceptMatcher, parseGlossary, type ConceptMatcher } from '../src/text/concepts.js';
import { decodeGlossaryCache, encodeGlossaryCache, glossaryCacheJson } from '../src/io/glossary-cache.js';
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
    const cache = JSON.parse(glossaryCacheJson(encodeGlossaryCache(built, text)));
    const read = decodeGlossaryCache(cache, text)!;
    expect(read.size).toBe(built.size);
    expect(plain(read)).toEqual(plain(built));
  });

  it('is written as ASCII, and reads back every character', () => {
    const cache = encodeGlossaryCache(built, text);
    const json = glossaryCacheJson(cache);
    expect(json).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(json)).toEqual(cache);
    expect(cache.words).toContain('skłodowska');
  });

  it('gives a trie read back from a cache that same cache', () => {
    const cache = JSON.parse(glossaryCacheJson(encodeGlossaryCache(built, text)));
    const read = decodeGlossaryCache(cache, text)!;
    // Named after another text, the same trie.
    const again = encodeGlossaryCache(read, '');
    expect(again).toEqual(encodeGlossaryCache(built, ''));
    expect(decodeGlossaryCache(again, '')).not.toBeNull();
    expect(decodeGlossaryCache(again, text)).toBeNull();
  });

  it('matches the glossary file by its bytes as by its text', () => {
    const cache = encodeGlossaryCache(built, text);
    expect(decodeGlossaryCache(cache, Buffer.from(text, 'utf8'))).not.toBeNull();
  });

  it('reaches a worker whole, as its plain data cloned', () => {
    const read = decodeGlossaryCache(encodeGlossaryCache(built, text), text)!;
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

  it('is ignored once the glossary text changes', () => {
    const cache = encodeGlossaryCache(built, text);
    expect(decodeGlossaryCache(cache, `${text}\nextra,other,extra,extra\n`)).toBeNull();
  });
});
