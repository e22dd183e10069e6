// An attacker of published statistics, written apart from the disclosure module so that it checks
// it rather than repeats it: from the published values of a group (a total and lines that add up to
// it) it enumerates every true value each hidden count could have, by brute-force sets of possible
// sums rather than by interval arithmetic. "Recovered" means a single possible value.

export type Shown = number | string;
export interface PublishedGroup { total: Shown; lines: (Shown[] | null)[] }

const BASE = 5;

/** Every true count that the method could have published as `shown` (up to a bound). */
export function valuesBehind(shown: Shown, k: number): number[] {
  const out: number[] = [];
  // No true count more than a rounding step away could have been published as `shown`.
  const max = typeof shown === 'number' ? shown + BASE : k;
  for (let v = 0; v <= max; v++) {
    if (v < k) { if (typeof shown === 'string') out.push(v); continue; }
    if (typeof shown === 'string') continue;
    const below = v - (v % BASE);
    const roundings = v % BASE === 0 ? [v] : [below, below + BASE];
    if (roundings.includes(shown)) out.push(v);
  }
  return out;
}

/** All sums reachable by picking one possible value per cell. */
function reachableSums(options: number[][]): Set<number> {
  let sums = new Set<number>([0]);
  for (const values of options) {
    const next = new Set<number>();
    for (const s of sums) for (const v of values) next.add(s + v);
    sums = next;
  }
  return sums;
}

/** One publication of a group, at its k. An attacker may hold several publications of the same group. */
export interface Publication { group: PublishedGroup; k: number }

/** What the publications together allow for each value: the meet of what each allows. */
function meet(sets: number[][]): number[] {
  return sets.reduce((a, b) => a.filter((v) => b.includes(v)));
}

/**
 * For every cell whose true count is below `below` ("line:cell"), the set of values it could have
 * given every publication held. `knownTotal` gives the attacker the group's exact total on top.
 */
export function possibleValues(pubs: Publication[], below: number, truth: number[][], knownTotal?: number): Map<string, number[]> {
  const lines = truth.map((line, l) => {
    const holding = pubs.filter((p) => p.group.lines[l]);
    if (!holding.length) return null;
    return line.map((_, i) => meet(holding.map((p) => valuesBehind(p.group.lines[l]![i]!, p.k))));
  });
  let totals = knownTotal === undefined ? meet(pubs.map((p) => valuesBehind(p.group.total, p.k))) : [knownTotal];
  for (const line of lines) {
    if (!line) continue;
    const sums = reachableSums(line);
    totals = totals.filter((t) => sums.has(t));
  }
  const found = new Map<string, number[]>();
  lines.forEach((line, l) => {
    line?.forEach((values, i) => {
      if (truth[l]![i]! >= below) return;
      const others = reachableSums(line.filter((_, j) => j !== i));
      found.set(`${l}:${i}`, values.filter((v) => totals.some((t) => others.has(t - v))));
    });
  });
  return found;
}

/**
 * Counts below `below` that the attacker pins to one value: from the publications alone, and (for
 * counts above 0) also knowing the group's exact total.
 */
export function recovered(pubs: Publication[], truth: { total: number; lines: number[][] }, below = Math.min(...pubs.map((p) => p.k))): string[] {
  const out: string[] = [];
  const published = possibleValues(pubs, below, truth.lines);
  const withExactTotal = possibleValues(pubs, below, truth.lines, truth.total);
  for (const [cell, values] of published) {
    const [l, i] = cell.split(':').map(Number) as [number, number];
    const truthValue = truth.lines[l]![i]!;
    if (!values.includes(truthValue)) throw new Error(`attacker excluded the truth at ${cell}`);
    if (values.length < 2) out.push(`${cell}=${values[0]} (published)`);
    if (truthValue > 0 && withExactTotal.get(cell)!.length < 2) out.push(`${cell}=${truthValue} (exact total)`);
  }
  return out;
}

/**
 * Differencing: the attacker holds the group published before (a) and after (b) exactly one more
 * case, and knows it. Returns the hidden counts of the first publication it pins to one value.
 */
export function recoveredAfterOneMore(a: Publication, b: Publication, truthA: { total: number; lines: number[][] }): string[] {
  const shift = (values: number[], by: number) => values.map((v) => v - by).filter((v) => v >= 0);
  const totals = meet([valuesBehind(a.group.total, a.k), shift(valuesBehind(b.group.total, b.k), 1)]);
  // For each line, and each cell that may have received the case: what each cell could have been before.
  const options = truthA.lines.map((line, l) => {
    if (!a.group.lines[l] || !b.group.lines[l]) return null;
    return line.map((_, j) => line.map((__, i) => meet([valuesBehind(a.group.lines[l]![i]!, a.k), shift(valuesBehind(b.group.lines[l]![i]!, b.k), i === j ? 1 : 0)])));
  });
  const possibleTotals = totals.filter((t) => options.every((line) => !line || line.some((cells) => reachableSums(cells).has(t))));
  const out: string[] = [];
  options.forEach((line, l) => {
    line?.[0]!.forEach((_, i) => {
      if (truthA.lines[l]![i]! >= a.k) return;
      const values = new Set<number>();
      for (const cells of line) {
        const others = reachableSums(cells.filter((__, j) => j !== i));
        for (const v of cells[i]!) if (possibleTotals.some((t) => others.has(t - v))) values.add(v);
      }
      if (values.size < 2) out.push(`${l}:${i}=${[...values][0]}`);
    });
  });
  return out;
}
