/**
 * Can every need get all the places it wants? Checked before solving, on the
 * totals: places wanted against places the solutions offer. (Whether each need
 * has enough candidates is only known after ranking; the summary says.)
 */

export interface Quotas {
  needs: number;
  /** Places wanted, all needs together. */
  wanted: number;
  /** The same for every need (--top), or null when a demand column sets it per need. */
  uniformDemand: number | null;
  solutions: number;
  /** Places offered, all solutions together. */
  offered: number;
  /** The same for every solution (--capacity, or the default), or null when a capacity column sets it. */
  uniformCapacity: number | null;
}

/** Null when the places suffice; else one sentence saying what to change. */
export function infeasibility(q: Quotas): string | null {
  if (q.wanted <= q.offered) return null;
  const want = q.uniformDemand !== null ? `${q.needs} need${q.needs === 1 ? '' : 's'} want ${q.uniformDemand} startup${q.uniformDemand === 1 ? '' : 's'} each` : `${q.needs} needs want ${q.wanted} startups in all (demand column)`;
  const have = q.uniformCapacity !== null
    ? `only ${q.offered} place${q.offered === 1 ? '' : 's'} exist (${q.solutions} startup${q.solutions === 1 ? '' : 's'} × ${q.uniformCapacity})`
    : `only ${q.offered} place${q.offered === 1 ? '' : 's'} exist (capacity column)`;
  const fixes: string[] = [];
  if (q.solutions > 0) fixes.push(`raise --capacity to ${Math.ceil(q.wanted / q.solutions)}`);
  const top = Math.floor(q.offered / q.needs);
  if (top >= 1) fixes.push(`lower --top to ${top}`);
  fixes.push('add --partial to assign what fits');
  const last = fixes.pop()!;
  return `${want} but ${have}: ${fixes.length ? `${fixes.join(', ')} or ${last}` : last}`;
}
