import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import naturalPorter from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { porterEnglish } from '../src/text/porter-english.js';
import { random } from './helpers/random.js';


const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Words whose stem differs between natural and porterEnglish, shown as `word: natural vs ours`. */
function mismatches(words: Iterable<string>): string[] {
  const out: string[] = [];
  for (const w of words) {
    const expected = naturalPorter.stem(w);
    const actual = porterEnglish(w);
    if (actual !== expected) out.push(`${JSON.stringify(w)}: natural ${JSON.stringify(expected)} vs ours ${JSON.stringify(actual)}`);
  }
  return out;
}

function expectSameStems(words: Iterable<string>): void {
  const bad = mismatches(words);
  expect(bad.length, `${bad.length} mismatches, first 20:\n${bad.slice(0, 20).join('\n')}`).toBe(0);
}

function fixtureWords(dir: string, into: Set<string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) fixtureWords(path, into);
    else if (/\.(csv|jsonl?)$/.test(name)) {
      for (const w of readFileSync(path, 'utf8').toLowerCase().split(/[^\p{L}]+/u)) if (w) into.add(w);
    }
  }
}

const STEMS = ['rel', 'cond', 'hop', 'fil', 'generat', 'sens', 'y', 'by', 'cy', 'fly', 'ee', 'e', 'a', 'oo', 'i', 'o',
  'u', 'yy', 'ay', 'ey', 'oy', 'bay', 'boy', 'sky', 'syn', 'myop', 'dyad', 'cyan', 'rhythm', 'tr', 'str', 'happ', 'hopp',
  'fall', 'miss', 'buzz', 'agree', 'feed', 'bl', 'at', 'iz', 'ab', 'ad', 'am', 'in', 'on', 'ox', 'ow', 'ix', 'elev',
  'conflat', 'troubl', 'siz', 'tann', 'fizz', 'fail', 'fil', 'gener', 'valen', 'hesit', 'digit', 'conform', 'radic',
  'differ', 'analog', 'vietnam', 'predic', 'triplic', 'formal', 'electr', 'hope', 'goodn', 'reviv', 'allow', 'infer',
  'airlin', 'gyroscop', 'adjust', 'depend', 'adopt', 'homolog', 'communi', 'activ', 'bowdler', 'effect', 'angul',
  'ceas', 'control', 'roll', 'relat', 'rat', 'nat', 'ion', 'tion', 'sion', 'ment', 'ement', 'al', 'ic', 'er', 'yo',
  'xyz', 'wyw', 'qy', 'yq', 'ayy', 'byy', 'cyy', 'eyy', 'ya', 'yay', 'yey', 'sy', 'ty', 'lly', 'ry'];

const SUFFIXES = ['', 'ational', 'tional', 'enci', 'anci', 'izer', 'bli', 'abli', 'alli', 'entli', 'eli', 'ousli',
  'ization', 'ation', 'ator', 'alism', 'iveness', 'fulness', 'ousness', 'aliti', 'iviti', 'biliti', 'logi', 'icate',
  'ative', 'alize', 'iciti', 'ical', 'ful', 'ness', 'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement',
  'ment', 'ent', 'ion', 'sion', 'tion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'e', 'l', 'll', 's', 'ss',
  'sses', 'ies', 'ied', 'ed', 'eed', 'eeds', 'ing', 'y', 'ying', 'ly', 'ally', 'ility', 'ements', 'ations', 'izing',
  'ated', 'bled', 'ized', 'ating', 'lling', 'ssing', 'ings', 'ly', 'ies', 'yed', 'yer', 'ey', 'eys', 'ays'];

/** Letters weighted towards vowels, 'y' and the consonants Porter's rules look at. */
const LETTERS = 'aaaeeeiiiooouuyyyybcdfghjklmnpqrstvwxzlllsssttnnrrzwx';

function randomWords(count: number, seed: number): string[] {
  const rand = random(seed);
  const pick = (s: string) => s[Math.floor(rand() * s.length)];
  const words: string[] = [];
  for (let k = 0; k < count; k++) {
    const length = 1 + Math.floor(rand() * 15);
    let w = '';
    while (w.length < length) {
      // doubled letters are what steps 1b and 5b look for
      if (w && rand() < 0.12) w += w[w.length - 1];
      else w += pick(LETTERS);
    }
    // a third of the words end in a real suffix, to reach the measure checks of every step
    if (rand() < 0.35) w = w.slice(0, 1 + Math.floor(rand() * 6)) + pick2(SUFFIXES, rand) + (rand() < 0.2 ? pick2(SUFFIXES, rand) : '');
    words.push(w);
  }
  return words;
}

function pick2(list: string[], rand: () => number): string {
  return list[Math.floor(rand() * list.length)];
}

describe('porterEnglish', () => {
  it('stems like natural on edge strings', () => {
    const edges = ['', 'a', 'ab', 'abc', 'A', 'AB', 'Ab', 'ies', 'sses', 'eed', 'eeds', 'ing', 'ed', 'eds', 'ss', 's',
      'yyy', 'yes', 'flyover', 'cyanate', 'myopic', 'dyadic', 'città', 'naïve', 'café', 'cafés', 'résumés', "don't",
      "company's", "companies'", 'well-being', 'state-of-the-art', '5g', 'covid19', 'mp3s', '3d', 'Running', 'RUNNING',
      'Relational', 'İstanbul', 'İİİ', 'ΣΊΣΥΦΟΣ', 'straße', 'łódź', 'ﬁnal', 'emoji😀ing', '😀😀ed', '  ', ' ing', 'a b',
      'rel\national', 'x\nment', 'agree\nment', 'ab\ncation', 'ab\u2028ement', 'hope\rful', 'trouble\n', 'ment\n',
      'sensation', 'generalization', 'electricity', 'hopeful', 'controll', 'rolling', 'filing', 'hopping', 'sky',
      'happy', 'y', 'yy', 'by', 'bye', 'eye', 'aye', 'ayes', 'yyyed', 'byying', 'ement', 'ments', 'ion', 'tion', 'stion'];
    expectSameStems(edges);
  });

  it('stems like natural on fixture words, suffix combinations and random words', () => {
    const words = new Set<string>();
    fixtureWords(FIXTURES, words);
    for (const stem of STEMS) for (const s1 of SUFFIXES) {
      words.add(stem + s1);
      for (const s2 of ['s', 'ed', 'ing', 'ly', 'e', 'y', 'ies', 'ness', 'al']) words.add(stem + s1 + s2);
    }
    for (const w of randomWords(150_000, 20240611)) words.add(w);
    expect(words.size).toBeGreaterThan(200_000);
    expectSameStems(words);
  });
});
