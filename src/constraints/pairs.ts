import { inputError } from '../errors.js';

/**
 * Pair rules (`--pairs FILE`): a pair to exclude (a conflict, a firm already
 * contacted, a competitor) or to pin (it must be in that need's shortlist).
 */

export type PairAction = 'exclude' | 'pin';

export interface PairRule {
  needId: string;
  solutionId: string;
  action: PairAction;
  /** Where the rule is written, for messages. */
  file: string;
  line: number;
}

const ACTIONS: Record<string, PairAction> = {
  exclude: 'exclude', excluded: 'exclude', escludi: 'exclude', escluso: 'exclude', esclusa: 'exclude',
  pin: 'pin', pinned: 'pin', fissa: 'pin', fissato: 'pin', fissata: 'pin', includi: 'pin',
};

/** The action a cell names (any case), or null. */
export function parseAction(text: string): PairAction | null {
  return ACTIONS[text.trim().toLowerCase()] ?? null;
}

/** Rules that apply, by need id then solution id. */
export interface PairRules {
  excluded: Map<string, Set<string>>;
  pinned: Map<string, Set<string>>;
  /** Rules naming a need or solution not in the inputs: reported, then left out. */
  unknown: { rule: PairRule; missing: 'need' | 'solution' | 'both' }[];
  /** How many rules apply. */
  count: number;
}

export const NO_PAIR_RULES: PairRules = { excluded: new Map(), pinned: new Map(), unknown: [], count: 0 };

/**
 * Checks the rules against the inputs' ids. A pair both pinned and excluded is
 * an input error (exit 3) naming both lines; repeating a rule is harmless.
 */
export function compilePairRules(rules: readonly PairRule[], needIds: ReadonlySet<string>, solutionIds: ReadonlySet<string>): PairRules {
  const out: PairRules = { excluded: new Map(), pinned: new Map(), unknown: [], count: 0 };
  const firstSeen = new Map<string, PairRule>();
  for (const rule of rules) {
    const key = `${rule.needId}\u0000${rule.solutionId}`;
    const earlier = firstSeen.get(key);
    if (earlier && earlier.action !== rule.action) {
      throw inputError(rule.file, rule.line, `pair ${rule.needId}–${rule.solutionId} is both pinned and excluded (also at line ${earlier.line}); keep one of the two lines`);
    }
    if (earlier) continue;
    firstSeen.set(key, rule);
    const needKnown = needIds.has(rule.needId);
    const solutionKnown = solutionIds.has(rule.solutionId);
    if (!needKnown || !solutionKnown) {
      out.unknown.push({ rule, missing: !needKnown && !solutionKnown ? 'both' : !needKnown ? 'need' : 'solution' });
      continue;
    }
    const target = rule.action === 'pin' ? out.pinned : out.excluded;
    let set = target.get(rule.needId);
    if (!set) target.set(rule.needId, (set = new Set()));
    set.add(rule.solutionId);
    out.count++;
  }
  return out;
}

/** One warning line per unknown rule: `pairs.csv:7: unknown solution id 'S999'; the line is ignored`. */
export function describeUnknown(entry: PairRules['unknown'][number]): string {
  const { rule, missing } = entry;
  const what = missing === 'both' ? `unknown need id '${rule.needId}' and solution id '${rule.solutionId}'` : missing === 'need' ? `unknown need id '${rule.needId}'` : `unknown solution id '${rule.solutionId}'`;
  return `${rule.file}:${rule.line}: ${what}; the ${rule.action} rule is ignored (check the id, or remove the line)`;
}
