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

/** `stage` is blended only when a need asks for a stage and `--stage signal` is on (absent = 0). */
export type Weights = Record<Signal, number> & { stage?: number };
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
  /** Plain-language reason for the pair (with `explain`). */
  explanation?: string;
  /** Stage signal, 0..1 (with `--stage signal`); null when the pair cannot be compared on stage. */
  stageScore?: number | null;
  /** Placed by a pin rule (`--pairs`), whatever its score. */
  pinned?: boolean;
  /** `match assign`: assigned, or an alternate (next best, not assigned to this need). */
  status?: 'assigned' | 'alternate';
  /** `match assign`: the solution's place in the need's own ranking before allocation (1 = its best match). */
  choice?: number;
  /** `match assign`: why the pair is here, or why a better-ranked solution is not. */
  note?: string;
  /** Columns appended to the pair's row by options (`--keep` solution fields, `--previous` change), in output order. */
  extra?: Record<string, string>;
}

export interface NeedResult {
  needId: string;
  needTitle: string;
  matches: Match[];
  /** The need's important words no shortlisted solution mentions (with `explain`). */
  gaps?: string[];
  /** Need fields carried to the output by `--keep-need`, in output order. */
  extra?: Record<string, string>;
}
