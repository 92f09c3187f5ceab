import { describe, expect, it } from 'vitest';
import type { MatchRecord } from '../src/model.js';
import { firstOfSame } from '../src/rank/repeated-needs.js';

function need(id: string, title: string, text: string, tags: string[] = [], sectors: string[] = []): MatchRecord {
  return { id, name: title, title, text, tags, sectors, fields: {}, line: 1 };
}

describe('firstOfSame', () => {
  it('points a need at the first need with the same title, text, tags and sectors, and nothing else', () => {
    const needs = [
      need('A', 'Sensors', 'water quality sensors', ['iot'], ['C26']),
      need('B', 'Sensors', 'water quality sensors', ['iot'], ['C26']), // repeats A
      need('C', 'Other title', 'water quality sensors', ['iot'], ['C26']),
      need('D', 'Sensors', 'water quality sensors', ['iot', 'water'], ['C26']),
      need('E', 'Sensors', 'water quality sensors', ['iot'], []),
      need('F', 'Sensors', 'water quality sensor', ['iot'], ['C26']),
      need('G', 'Other title', 'water quality sensors', ['iot'], ['C26']), // repeats C
      need('H', 'Sensors', 'water quality sensors', ['iot'], ['C26']), // constrained: its own
      need('I', 'Sensors', 'water quality sensors', ['iot'], ['C26']), // repeats A, not H
      // Joined fields that would read alike are still told apart.
      need('J', 'a', 'b', ['c,d']),
      need('K', 'a', 'b', ['c', 'd']),
    ];
    const first = firstOfSame(needs, (i) => needs[i].id === 'H');
    expect(Array.from(first, (j) => needs[j].id)).toEqual(['A', 'A', 'C', 'D', 'E', 'F', 'C', 'H', 'A', 'J', 'K']);
  });

  it('never points a constrained need elsewhere, nor others at it', () => {
    const needs = [need('A', 't', 'x'), need('B', 't', 'x'), need('C', 't', 'x')];
    expect(Array.from(firstOfSame(needs, (i) => i === 0))).toEqual([0, 1, 1]);
  });
});
