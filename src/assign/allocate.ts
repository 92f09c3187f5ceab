import { compareIds } from '../rank/compare-ids.js';
import { FlowGraph } from './min-cost-flow.js';

/**
 * Allocation across needs: each need wants `demand` solutions from its
 * candidate list, each solution takes at most `capacity` needs. Pins are
 * placed first and use up a place on both sides (a solution pinned beyond its
 * capacity keeps every pin). The rest is solved exactly as a min-cost flow,
 * need (supply: its places) → solution (1 per pair) → sink (capacity), plus a
 * fallback edge need → sink for places left empty. Minimised in this order:
 *
 *   1. as many pairs as the demands, capacities and candidate lists allow;
 *   2. among those, the largest total value (score, or MMR value with --diversity);
 *   3. among those, each need's better-ranked candidates (its own order: score, then id).
 *
 * The graph is built with needs and solutions in id order, so the input's row
 * order never changes the result.
 */

export interface AllocationCandidate {
  doc: number;
  id: string;
  /** What the pair is worth; rounded to 4 decimals like every score. */
  value: number;
}

export interface AllocationNeed {
  id: string;
  /** Places wanted, pins included. */
  demand: number;
  /** Best first; pinned solutions are not listed here. */
  candidates: readonly AllocationCandidate[];
  pinned: readonly { doc: number; id: string }[];
}

export interface AllocationResult {
  /** Per need (input order), the docs it gets: pins, then the rest in candidate order. */
  chosen: number[][];
  /** Places given per solution doc, pins included. */
  load: Map<number, number>;
  /** Solutions pinned to more needs than their capacity: doc → pins. */
  overPinned: Map<number, number>;
}

const SCALE = 10000;

export function allocate(needs: readonly AllocationNeed[], capacityOf: (doc: number) => number): AllocationResult {
  const load = new Map<number, number>();
  const pinLoad = new Map<number, number>();
  for (const need of needs) for (const p of need.pinned) pinLoad.set(p.doc, (pinLoad.get(p.doc) ?? 0) + 1);
  const overPinned = new Map<number, number>();
  for (const [doc, pins] of pinLoad) {
    load.set(doc, pins);
    if (pins > capacityOf(doc)) overPinned.set(doc, pins);
  }

  // Solution nodes: every candidate, in id order.
  const solutionIds = new Map<number, string>();
  for (const need of needs) for (const c of need.candidates) solutionIds.set(c.doc, c.id);
  const solutionDocs = [...solutionIds.keys()].sort((a, b) => compareIds(solutionIds.get(a)!, solutionIds.get(b)!));
  const needOrder = needs.map((_, i) => i).sort((a, b) => compareIds(needs[a].id, needs[b].id));

  // Nodes: needs (id order), solutions (id order), the sink.
  const solutionNode = new Map(solutionDocs.map((doc, j) => [doc, needs.length + j] as const));
  const sink = needs.length + solutionDocs.length;
  const graph = new FlowGraph(sink + 1);
  const supply = new Array<number>(sink + 1).fill(0);

  // Costs, minimised in this order: places left empty (a fallback edge straight
  // to the sink), minus the value in 1e-4 units, the candidate's position in the need's own order.
  const pairEdges: { need: number; doc: number; edge: number }[] = [];
  needOrder.forEach((k, node) => {
    const need = needs[k];
    const places = Math.max(0, need.demand - need.pinned.length);
    if (places === 0) return;
    supply[node] = places;
    need.candidates.forEach((c, position) => {
      pairEdges.push({ need: k, doc: c.doc, edge: graph.addEdge(node, solutionNode.get(c.doc)!, 1, [0, -Math.round(c.value * SCALE), position]) });
    });
    graph.addEdge(node, sink, places, [1, 0, 0]);
  });
  for (const doc of solutionDocs) {
    const free = capacityOf(doc) - (pinLoad.get(doc) ?? 0);
    if (free > 0) graph.addEdge(solutionNode.get(doc)!, sink, free, [0, 0, 0]);
  }
  graph.routeSupplies(supply, sink, needOrder.map((_, node) => node));

  const picked = needs.map(() => new Set<number>());
  for (const { need, doc, edge } of pairEdges) {
    if (graph.flow(edge) > 0) {
      picked[need].add(doc);
      load.set(doc, (load.get(doc) ?? 0) + 1);
    }
  }
  const chosen = needs.map((need, k) => [...need.pinned.map((p) => p.doc), ...need.candidates.filter((c) => picked[k].has(c.doc)).map((c) => c.doc)]);
  return { chosen, load, overPinned };
}
