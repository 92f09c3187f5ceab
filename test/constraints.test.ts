import { describe, expect, it } from 'vitest';
import type { MatchRecord } from '../src/model.js';
import { MatchError } from '../src/errors.js';
import { parseCondition, testCondition } from '../src/constraints/where.js';
import { resolveField, type FieldRef } from '../src/constraints/values.js';
import { parseStage, stageCredit, stageScore, meetsStage } from '../src/constraints/stage.js';
import { detectRequirements, meetsRequirements, needRequirements } from '../src/constraints/requirements.js';
import { compilePairRules, type PairRule } from '../src/constraints/pairs.js';
import { compileConstraints } from '../src/constraints/need-constraints.js';
import { pairRulesFromTable } from '../src/io/pairs-file.js';
import { parseCsv } from '../src/io/parse-table.js';
import { infeasibility } from '../src/assign/feasibility.js';

function record(id: string, fields: Record<string, string>, extra: Partial<MatchRecord> = {}): MatchRecord {
  return { id, name: fields.name ?? id, title: '', text: fields.description ?? '', tags: [], sectors: [], fields, line: 2, ...extra };
}

const COLUMNS = ['id', 'name', 'description', 'trl', 'region', 'employees', 'Ragione sociale'];
const MAPPING = { id: 'id', name: 'name', text: ['description'], sector: 'sector', tags: 'tags' };

/** Does the solution pass `--where expr`? */
function passes(expr: string, solution: MatchRecord): boolean {
  const condition = parseCondition(expr);
  const field = resolveField(condition.column, [...COLUMNS, 'sector', 'tags'], MAPPING) as FieldRef;
  return testCondition(condition, field, solution);
}

const usageCode = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof MatchError ? err.exitCode : -1;
  }
  return undefined;
};

describe('--where filters', () => {
  const s = record('S1', { trl: '7', region: 'Emilia-Romagna', employees: '12,5', 'Ragione sociale': 'Rossi, Bianchi & C.' }, { sectors: ['C26.51', 'J62.01'], tags: ['IoT', 'Sensori'] });

  it('compares numbers, with a decimal comma on either side', () => {
    expect(passes('trl>=7', s)).toBe(true);
    expect(passes('trl>7', s)).toBe(false);
    expect(passes('trl < 8', s)).toBe(true);
    expect(passes('employees<=12,5', s)).toBe(true);
    expect(passes('employees > 12.4', s)).toBe(true);
    expect(passes('trl = 7.0', s)).toBe(true);
  });

  it('compares text without case, accents or dash/space differences', () => {
    expect(passes('region = emilia romagna', s)).toBe(true);
    expect(passes('REGION in Lombardia, Emilia-Romagna', s)).toBe(true);
    expect(passes('region in (Lombardia, Piemonte)', s)).toBe(false);
    expect(passes('region not in Lombardia,Piemonte', s)).toBe(true);
    expect(passes('tags = sensóri', s)).toBe(true);
  });

  it('passes a multi-value cell when any value does; negations when none does', () => {
    expect(passes('sector~J62', s)).toBe(true);
    expect(passes('sector!~J62', s)).toBe(false);
    expect(passes('sector != C26.51', s)).toBe(false);
    expect(passes('sector = c26.51', s)).toBe(true);
  });

  it('matches sector codes as codes: with or without the letter and the dots', () => {
    expect(passes('sector~C26', s)).toBe(true);
    expect(passes('sector~26.5', s)).toBe(true);
    expect(passes('sector~2651', s)).toBe(true);
    expect(passes('sector~C27', s)).toBe(false);
    expect(passes('sector~D26', s)).toBe(false);
  });

  it('keeps a quoted column name and a quoted value whole', () => {
    expect(passes('"Ragione sociale" = "Rossi, Bianchi & C."', s)).toBe(true);
    expect(passes('"Ragione sociale" in "Rossi, Bianchi & C.",Verdi', s)).toBe(true);
  });

  it('fails the positive operators on an empty cell and passes the negated ones', () => {
    const empty = record('S2', { trl: '', region: '' });
    expect(passes('trl>=1', empty)).toBe(false);
    expect(passes('region = Lombardia', empty)).toBe(false);
    expect(passes('region != Lombardia', empty)).toBe(true);
  });

  it('refuses a bad expression with a usage error (exit 2) that shows the grammar', () => {
    expect(usageCode(() => parseCondition('trl'))).toBe(2);
    expect(usageCode(() => parseCondition('trl >= high'))).toBe(2);
    expect(usageCode(() => parseCondition('region in '))).toBe(2);
    expect(() => parseCondition('trl >> 5')).toThrow(/not a number|cannot read/);
    expect(() => parseCondition('trl')).toThrow(/COLUMN OP VALUE/);
  });

  it('finds columns loosely and by role', () => {
    expect(resolveField('TRL', COLUMNS, MAPPING)).toEqual({ kind: 'column', column: 'trl' });
    expect(resolveField('ragione_sociale', COLUMNS, MAPPING)).toEqual({ kind: 'column', column: 'Ragione sociale' });
    expect(resolveField('sector', ['id', 'ateco'], { ...MAPPING, sector: 'ateco' })).toEqual({ kind: 'role', role: 'sector' });
    expect(resolveField('budget', COLUMNS, MAPPING)).toBeNull();
  });
});

describe('stage', () => {
  it('reads TRL and the funding ladder', () => {
    expect(parseStage('7')).toEqual({ scale: 'trl', level: 7 });
    expect(parseStage('TRL 4')).toEqual({ scale: 'trl', level: 4 });
    expect(parseStage('Pre-seed')).toEqual({ scale: 'funding', level: 1 });
    expect(parseStage('Series A')?.level).toBe(parseStage('serie a')?.level);
    expect(parseStage('Seed round')).toEqual({ scale: 'funding', level: 2 });
    expect(parseStage('12')).toBeNull();
    expect(parseStage('Other')).toBeNull();
  });

  it('scores 1 when met or exceeded, less per level short, 0 far short', () => {
    const need = { scale: 'trl', level: 6 } as const;
    expect(stageCredit(need, { scale: 'trl', level: 8 })).toBe(1);
    expect(stageCredit(need, { scale: 'trl', level: 6 })).toBe(1);
    const one = stageCredit(need, { scale: 'trl', level: 5 });
    const two = stageCredit(need, { scale: 'trl', level: 4 });
    expect(one).toBeLessThan(1);
    expect(two).toBeLessThan(one);
    expect(stageCredit(need, { scale: 'trl', level: 3 })).toBe(0);
    expect(stageCredit({ scale: 'funding', level: 3 }, { scale: 'funding', level: 2 })).toBe(0.5);
  });

  it('never compares a TRL with a funding stage', () => {
    const trl6 = [{ scale: 'trl', level: 6 } as const];
    expect(stageScore(trl6, [{ scale: 'funding', level: 5 }])).toBeNull();
    expect(meetsStage(trl6, [{ scale: 'funding', level: 5 }])).toBe(false);
    expect(meetsStage(trl6, [{ scale: 'funding', level: 5 }, { scale: 'trl', level: 6 }])).toBe(true);
  });
});

describe('per-need requirements', () => {
  const solutionColumns = ['id', 'name', 'trl', 'region', 'employees'];
  const locate = (r: MatchRecord, column: string) => ({ file: 'needs.csv', line: r.line, column: ['id', 'min_trl', 'regions', 'max_employees', 'region'].indexOf(column) + 1 });

  it('recognises min_trl, regions, min_X and max_X; a need\'s own region is not one', () => {
    const found = detectRequirements(['id', 'region', 'min_trl', 'Regioni', 'max_employees', 'budget_max'], solutionColumns, MAPPING);
    expect(found.stage).toEqual(['min_trl']);
    expect(found.sets.map((s) => s.needColumn)).toEqual(['Regioni']);
    expect(found.ranges.map((r) => [r.needColumn, r.op])).toEqual([['max_employees', '<=']]);
    expect(found.ignored.join('\n')).toMatch(/budget_max.*no such column/);
  });

  it('applies them pair by pair', () => {
    const columns = detectRequirements(['id', 'regions', 'max_employees'], solutionColumns, MAPPING);
    const need = record('N1', { regions: 'Lombardia; Piemonte', max_employees: '20' });
    const req = needRequirements(need, columns, locate);
    expect(meetsRequirements(req, record('S1', { region: 'piemonte', employees: '15' }))).toBe(true);
    expect(meetsRequirements(req, record('S2', { region: 'Toscana', employees: '15' }))).toBe(false);
    expect(meetsRequirements(req, record('S3', { region: 'Lombardia', employees: '40' }))).toBe(false);
    expect(meetsRequirements(req, record('S4', { region: 'Lombardia', employees: '' }))).toBe(false);
    // An empty cell asks for nothing.
    const open = needRequirements(record('N2', { regions: '', max_employees: '' }), columns, locate);
    expect(meetsRequirements(open, record('S2', { region: 'Toscana', employees: '99' }))).toBe(true);
  });

  it('reports an unreadable requirement cell as an input error at its line and column', () => {
    const columns = detectRequirements(['id', 'min_trl', 'regions', 'max_employees'], solutionColumns, MAPPING);
    const need = record('N1', { min_trl: 'high', max_employees: '' }, { line: 7 });
    expect(() => needRequirements(need, columns, locate)).toThrow(/^needs\.csv:7:2: min_trl 'high' is not a stage/);
  });
});

describe('pair rules', () => {
  const rule = (needId: string, solutionId: string, action: 'pin' | 'exclude', line: number): PairRule => ({ needId, solutionId, action, file: 'pairs.csv', line });
  const needs = new Set(['N1', 'N2']);
  const solutions = new Set(['S1', 'S2']);

  it('separates exclusions and pins, and reports unknown ids', () => {
    const rules = compilePairRules([rule('N1', 'S1', 'exclude', 2), rule('N1', 'S2', 'pin', 3), rule('N9', 'S1', 'pin', 4), rule('N1', 'S1', 'exclude', 5)], needs, solutions);
    expect([...rules.excluded.get('N1')!]).toEqual(['S1']);
    expect([...rules.pinned.get('N1')!]).toEqual(['S2']);
    expect(rules.unknown.map((u) => [u.rule.line, u.missing])).toEqual([[4, 'need']]);
  });

  it('refuses a pair both pinned and excluded (exit 3), naming both lines', () => {
    const run = () => compilePairRules([rule('N1', 'S1', 'pin', 2), rule('N1', 'S1', 'exclude', 9)], needs, solutions);
    expect(run).toThrow(/^pairs\.csv:9: pair N1–S1 is both pinned and excluded \(also at line 2\)/);
    try { run(); } catch (err) { expect((err as MatchError).exitCode).toBe(3); }
  });

  it('reads ids with a formula-escape apostrophe as match writes them, and refuses an unknown action', () => {
    const table = parseCsv("need_id,solution_id,action,reason\nN1,'-S1,exclude,competitor\nN2,S2,PIN,\n", 'pairs.csv');
    expect(pairRulesFromTable(table, 'pairs.csv').map((r) => [r.needId, r.solutionId, r.action])).toEqual([['N1', '-S1', 'exclude'], ['N2', 'S2', 'pin']]);
    const bad = parseCsv('need_id,solution_id,action\nN1,S1,maybe\n', 'pairs.csv');
    expect(() => pairRulesFromTable(bad, 'pairs.csv')).toThrow(/^pairs\.csv:2:3: unknown action 'maybe'; write exclude or pin/);
  });
});

describe('compiled constraints', () => {
  it('admits only what passes filters, requirements and exclusions; pins bypass them', () => {
    const solutions = [record('S1', { trl: '8' }), record('S2', { trl: '4' }), record('S3', { trl: '9' })];
    const needs = [record('N1', { min_trl: '6' })];
    const requirements = detectRequirements(['id', 'min_trl'], ['id', 'trl'], MAPPING);
    const pairs = compilePairRules([
      { needId: 'N1', solutionId: 'S3', action: 'exclude', file: 'p', line: 2 },
      { needId: 'N1', solutionId: 'S2', action: 'pin', file: 'p', line: 3 },
    ], new Set(['N1']), new Set(['S1', 'S2', 'S3']));
    const compiled = compileConstraints(needs, solutions, { where: [], requirements, stage: 'filter', pairs }, () => ({ file: 'x', line: 1 }));
    const c = compiled.constrain(needs[0]);
    expect([0, 1, 2].map((d) => c.admit!(d))).toEqual([true, false, false]);
    expect(c.pinned).toEqual([1]);
    const signal = compileConstraints(needs, solutions, { where: [], requirements, stage: 'signal', pairs }, () => ({ file: 'x', line: 1 })).constrain(needs[0]);
    expect(signal.stage!(0)).toBe(1);
    expect(signal.stage!(1)).toBe(stageCredit({ scale: 'trl', level: 6 }, { scale: 'trl', level: 4 }));
  });
});

describe('feasibility', () => {
  it('says what to change when the places cannot cover the demand', () => {
    expect(infeasibility({ needs: 12, wanted: 60, uniformDemand: 5, solutions: 40, offered: 40, uniformCapacity: 1 }))
      .toBe('12 needs want 5 startups each but only 40 places exist (40 startups × 1): raise --capacity to 2, lower --top to 3 or add --partial to assign what fits');
    expect(infeasibility({ needs: 12, wanted: 36, uniformDemand: 3, solutions: 40, offered: 40, uniformCapacity: 1 })).toBeNull();
  });
});
