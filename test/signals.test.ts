import { describe, expect, it } from 'vitest';
import { tagKey, tagKeys, tagScore, tagWeights, sharedTags } from '../src/score/tags.js';
import { parseSector, sectorScore } from '../src/score/sector.js';
import { blendScores } from '../src/score/blend.js';
import type { Sector } from '../src/score/sector.js';

const sectors = (...v: string[]) => v.map(parseSector).filter((s): s is Sector => s !== null);

describe('tags', () => {
  it('normalises case, accents, spaces and plural/singular', () => {
    expect(tagKey(' Tracciabilità ')).toBe(tagKey('tracciabilita'));
    expect(tagKey('Sensors')).toBe(tagKey('sensor'));
    expect(tagKey('materiali tessili')).toBe(tagKey('Materiale  tessile'));
  });

  it('scores identical tag sets 1 and disjoint ones 0', () => {
    const a = tagKeys(['iot', 'blockchain']);
    const w = tagWeights([a, tagKeys(['robotics'])]);
    expect(tagScore(a, tagKeys(['IoT', 'Blockchain']), w)).toBeCloseTo(1, 10);
    expect(tagScore(a, tagKeys(['robotics']), w)).toBe(0);
  });

  it('counts a rare shared tag more than a common one', () => {
    // "iot" is on every solution, "tannery" on one.
    const solutions = [tagKeys(['iot', 'tannery']), tagKeys(['iot', 'x1']), tagKeys(['iot', 'x2']), tagKeys(['iot', 'x3'])];
    const w = tagWeights(solutions);
    const need = tagKeys(['iot', 'tannery']);
    const rareShared = tagScore(need, tagKeys(['tannery', 'y']), w)!;
    const commonShared = tagScore(need, tagKeys(['iot', 'y']), w)!;
    expect(rareShared).toBeGreaterThan(commonShared);
    expect(sharedTags(need, tagKeys(['Tannery']))).toEqual(['tannery']);
  });

  it('is missing (null) when either side has no tags', () => {
    const w = tagWeights([]);
    expect(tagScore(tagKeys([]), tagKeys(['a']), w)).toBeNull();
    expect(tagScore(tagKeys(['a']), tagKeys([]), w)).toBeNull();
  });
});

describe('sectors', () => {
  it('gives 1 to the same code written differently, and to a containing code', () => {
    expect(sectorScore(sectors('C13.20'), sectors('13.20'))).toBe(1);
    expect(sectorScore(sectors('c 13.20'), sectors('C1320'))).toBe(1);
    expect(sectorScore(sectors('C13'), sectors('C13.20'))).toBe(1);
  });

  it('gives partial credit by the depth of the shared prefix', () => {
    expect(sectorScore(sectors('C13.20'), sectors('C13.9'))).toBe(0.5); // same division
    expect(sectorScore(sectors('C13.20'), sectors('C13.25'))).toBe(0.75); // same group 13.2
    expect(sectorScore(sectors('C13.20.10'), sectors('C13.20.20'))).toBe(0.9); // same class 13.20
    expect(sectorScore(sectors('C13.20'), sectors('C28.29'))).toBe(0.25); // both manufacturing
    expect(sectorScore(sectors('C13.20'), sectors('J62.01'))).toBe(0);
  });

  it('takes the best pair over several values and compares labels exactly', () => {
    expect(sectorScore(sectors('J62.01', 'C13.10'), sectors('C13.10'))).toBe(1);
    expect(sectorScore(sectors('Fintech'), sectors('fintech'))).toBe(1);
    expect(sectorScore(sectors('Fintech'), sectors('C13'))).toBe(0);
    expect(sectorScore([], sectors('C13'))).toBeNull();
  });
});

describe('blend', () => {
  const weights = { text: 0.6, tags: 0.25, sector: 0.15 };

  it('is the weighted mean when every signal is present', () => {
    expect(blendScores({ text: 0.5, tags: 1, sector: 0 }, weights)).toBeCloseTo(0.6 * 0.5 + 0.25, 10);
  });

  it('renormalises over the signals present, so missing metadata does not punish', () => {
    // tags missing: (0.6·0.5 + 0.15·1) / 0.75
    expect(blendScores({ text: 0.5, tags: null, sector: 1 }, weights)).toBeCloseTo(0.6, 10);
    expect(blendScores({ text: 0.4, tags: null, sector: null }, weights)).toBeCloseTo(0.4, 10);
  });

  it('drops a signal whose weight is 0', () => {
    expect(blendScores({ text: 0.4, tags: 1, sector: 1 }, { text: 1, tags: 0, sector: 0 })).toBeCloseTo(0.4, 10);
  });
});
