/**
 * Minimum-cost flow by successive shortest paths with node potentials
 * (Edmonds–Karp / Tomizawa), in the form the Hungarian method uses for
 * assignment: each node with supply is routed to the sink one shortest path
 * at a time, Dijkstra searching from that node only, so an uncontested need
 * costs a few steps and the work grows with contention, not with size.
 *
 * Costs are vectors compared lexicographically (an ordered group, where
 * Dijkstra and potentials work as with numbers): the first component is
 * minimised first, then the second, and so on. Components must be integers,
 * so sums are exact in doubles and ties are exact.
 *
 * Every supply must be able to reach the sink (callers add a fallback edge),
 * and the graph must have no negative cycle (bipartite graphs have none).
 */

export const COST_COMPONENTS = 3;
const K = COST_COMPONENTS;

export class FlowGraph {
  readonly nodeCount: number;
  // Edges in pairs: 2e is the edge as added, 2e+1 its reverse (residual).
  private to: number[] = [];
  private cap: number[] = [];
  /** Cost component k of edge e at cost[e * K + k]. */
  private cost: number[] = [];
  private next: number[] = [];
  private readonly head: Int32Array;

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.head = new Int32Array(nodeCount).fill(-1);
  }

  /** Adds an edge and returns its id, for reading its flow afterwards. */
  addEdge(from: number, to: number, capacity: number, cost: readonly number[]): number {
    for (const c of cost) if (!Number.isInteger(c)) throw new Error(`flow costs must be integers, got ${c}`);
    const id = this.to.length;
    this.push(from, to, capacity, cost, 1);
    this.push(to, from, 0, cost, -1);
    return id;
  }

  private push(from: number, to: number, capacity: number, cost: readonly number[], sign: number): void {
    this.to.push(to);
    this.cap.push(capacity);
    for (let k = 0; k < K; k++) this.cost.push(sign * (cost[k] ?? 0) || 0);
    this.next.push(this.head[from]);
    this.head[from] = this.to.length - 1;
  }

  /** Flow through an edge added with addEdge: the capacity its reverse gained. */
  flow(edge: number): number {
    return this.cap[edge + 1];
  }

  /**
   * Routes `supply[v]` units from each node to `sink` at the least total cost,
   * taking nodes in `order`. Potentials start as one Bellman–Ford pass from
   * the supplies would set them, so negative costs are fine.
   */
  routeSupplies(supply: readonly number[], sink: number, order: readonly number[]): void {
    const n = this.nodeCount;
    const to = Int32Array.from(this.to);
    const cost = Float64Array.from(this.cost);
    const next = Int32Array.from(this.next);
    const cap = Int32Array.from(this.cap);
    const { head } = this;
    const potential = this.initialPotentials(supply, to, cap, cost, next);
    const dist = new Float64Array(n * K).fill(Infinity);
    const settled = new Uint8Array(n);
    const prevEdge = new Int32Array(n);
    const touched: number[] = [];
    const heap = new LexHeap();
    const cand = new Float64Array(K);

    for (const root of order) {
      let left = supply[root];
      while (left > 0) {
        // Dijkstra from root under reduced costs, until the sink is settled.
        for (let k = 0; k < K; k++) dist[root * K + k] = 0;
        touched.push(root);
        heap.clear();
        heap.push(dist, root);
        while (heap.size > 0) {
          const u = heap.pop();
          if (settled[u]) continue;
          settled[u] = 1;
          if (u === sink) break;
          for (let e = head[u]; e !== -1; e = next[e]) {
            if (cap[e] <= 0) continue;
            const v = to[e];
            if (settled[v]) continue;
            for (let k = 0; k < K; k++) cand[k] = dist[u * K + k] + cost[e * K + k] + potential[u * K + k] - potential[v * K + k];
            if (lexLess(cand, 0, dist, v * K)) {
              if (dist[v * K] === Infinity) touched.push(v);
              for (let k = 0; k < K; k++) dist[v * K + k] = cand[k];
              prevEdge[v] = e;
              heap.push(dist, v);
            }
          }
        }
        if (!settled[sink]) throw new Error('a supply cannot reach the sink; add a fallback edge');
        // Potentials: settled nodes move by d(v) − d(sink), the others stay; only
        // differences matter, so this equals adding min(d(v), d(sink)) to all.
        for (const v of touched) {
          if (settled[v] && v !== sink) for (let k = 0; k < K; k++) potential[v * K + k] += dist[v * K + k] - dist[sink * K + k];
        }
        let push = left;
        for (let v = sink; v !== root; v = to[prevEdge[v] ^ 1]) push = Math.min(push, cap[prevEdge[v]]);
        for (let v = sink; v !== root; v = to[prevEdge[v] ^ 1]) {
          cap[prevEdge[v]] -= push;
          cap[prevEdge[v] ^ 1] += push;
        }
        left -= push;
        for (const v of touched) {
          settled[v] = 0;
          for (let k = 0; k < K; k++) dist[v * K + k] = Infinity;
        }
        touched.length = 0;
      }
    }
    this.cap = Array.from(cap);
  }

  /** Shortest distances from every supply node (Bellman–Ford with a queue): reduced costs start non-negative. */
  private initialPotentials(supply: readonly number[], to: Int32Array, cap: Int32Array, cost: Float64Array, next: Int32Array): Float64Array {
    const n = this.nodeCount;
    const dist = new Float64Array(n * K).fill(Infinity);
    const queued = new Uint8Array(n);
    const queue: number[] = [];
    for (let v = 0; v < n; v++) {
      if (supply[v] > 0) {
        for (let k = 0; k < K; k++) dist[v * K + k] = 0;
        queue.push(v);
        queued[v] = 1;
      }
    }
    const cand = new Float64Array(K);
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i];
      queued[u] = 0;
      for (let e = this.head[u]; e !== -1; e = next[e]) {
        if (cap[e] <= 0) continue;
        const v = to[e];
        for (let k = 0; k < K; k++) cand[k] = dist[u * K + k] + cost[e * K + k];
        if (lexLess(cand, 0, dist, v * K)) {
          for (let k = 0; k < K; k++) dist[v * K + k] = cand[k];
          if (!queued[v]) { queued[v] = 1; queue.push(v); }
        }
      }
    }
    // Nodes no supply reaches never take part; any finite potential will do.
    for (let i = 0; i < dist.length; i++) if (dist[i] === Infinity) dist[i] = 0;
    return dist;
  }
}

/** a[i..i+K) < b[j..j+K) lexicographically. */
function lexLess(a: Float64Array, i: number, b: Float64Array, j: number): boolean {
  for (let k = 0; k < K; k++) {
    if (a[i + k] !== b[j + k]) return a[i + k] < b[j + k];
  }
  return false;
}

/** A binary heap of nodes keyed by a copy of their distance vector; lazy deletion; equal keys pop the smaller node first. */
class LexHeap {
  private keys = new Float64Array(64 * K);
  private nodes = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  private less(i: number, j: number): boolean {
    for (let k = 0; k < K; k++) {
      const a = this.keys[i * K + k];
      const b = this.keys[j * K + k];
      if (a !== b) return a < b;
    }
    return this.nodes[i] < this.nodes[j];
  }

  private swap(i: number, j: number): void {
    for (let k = 0; k < K; k++) {
      const t = this.keys[i * K + k];
      this.keys[i * K + k] = this.keys[j * K + k];
      this.keys[j * K + k] = t;
    }
    const t = this.nodes[i];
    this.nodes[i] = this.nodes[j];
    this.nodes[j] = t;
  }

  push(dist: Float64Array, node: number): void {
    if (this.size === this.nodes.length) {
      const keys = new Float64Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const nodes = new Int32Array(this.nodes.length * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    let i = this.size++;
    for (let k = 0; k < K; k++) this.keys[i * K + k] = dist[node * K + k];
    this.nodes[i] = node;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): number {
    const node = this.nodes[0];
    this.size--;
    if (this.size > 0) {
      for (let k = 0; k < K; k++) this.keys[k] = this.keys[this.size * K + k];
      this.nodes[0] = this.nodes[this.size];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.less(l, m)) m = l;
        if (r < this.size && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return node;
  }
}
