/** Plain data shared by the core: what a dataset record is and what ranking returns. */

/** One need (challenge) or solution (startup), after column mapping. */
export interface MatchRecord {
  /** Always a string: `7` and `"7"` are the same id. */
  id: string;
  /** Display name: the title for needs, the name for solutions. */
  name: string;
  /** Title text, weighted as its own field by the text model (may be empty). */
  title: string;
  /** Description and any other text columns, joined. */
  text: string;
  tags: string[];
  sectors: string[];
  /** Every column of the source row, as read, for filters and pass-through. */
  fields: Record<string, string>;
  /** 1-based line of the record in its file (CSV) or position (JSON), for messages. */
  line: number;
}

export type Signal = 'text' | 'tags' | 'sector';
export const SIGNALS: readonly Signal[] = ['text', 'tags', 'sector'];

export type Weights = Record<Signal, number>;
export const DEFAULT_WEIGHTS: Weights = { text: 0.6, tags: 0.25, sector: 0.15 };

/** One scored need–solution pair. A signal is null when it was left out of the pair's blend. */
export interface Match {
  solutionId: string;
  solutionName: string;
  rank: number;
  score: number;
  textScore: number;
  tagScore: number | null;
  sectorScore: number | null;
  sharedTags: string[];
  topTerms: string[];
}

export interface NeedResult {
  needId: string;
  needTitle: string;
  matches: Match[];
}
