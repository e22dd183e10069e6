// Disclosure control for every published count (docs/STATISTICS.md): counts below k are hidden
// ("<k"), the others rounded at random to a neighbouring multiple of 5 by a draw fixed per cell, and
// each group (a total and the lines that add up to it) is audited the way an attacker would read
// it. While a hidden count can be narrowed to one value, a rounding is turned the other way (still a
// neighbouring multiple of 5) or, failing that, the line is withheld (secondary suppression).

export const ROUNDING_BASE = 5;
export const MIN_K = 5;

/** A true count and its draw: a number in [0, 1), fixed for the cell by a keyed hash, that decides its rounding. */
export interface Cell { count: number; draw: number }
/** What is published for a count: a multiple of 5, or the marker of a hidden count ("<5"). */
export type Shown = number | string;
type Interval = [number, number];

export const hiddenMarker = (k: number): string => `<${k}`;

/** Unbiased random rounding to base 5: up with probability (count mod 5) / 5; multiples of 5 stay. */
export function randomRound(cell: Cell): number {
  const rest = cell.count % ROUNDING_BASE;
  const below = cell.count - rest;
  return cell.draw < rest / ROUNDING_BASE ? below + ROUNDING_BASE : below;
}

/** A count published on its own (nothing published adds it up with others): hidden below k, else rounded. */
export function protectCell(cell: Cell, k: number): Shown {
  return cell.count < k ? hiddenMarker(k) : randomRound(cell);
}

/** What a published value tells a reader who knows the method: the closed interval the true count is in. */
export function intervalOf(shown: Shown, k: number): Interval {
  if (typeof shown === 'string') return [0, k - 1];
  return [Math.max(k, shown - (ROUNDING_BASE - 1)), shown + ROUNDING_BASE - 1];
}

/** A group: its total (published), and lines of cells that each add up exactly to the total. */
export interface Group { total: Cell; lines: Cell[][] }
/** A published group: the total, and each line's values in order, or null where the line is withheld. */
export interface ProtectedGroup { total: number; lines: (Shown[] | null)[] }

/** What a reader knows of a group: an interval per value, and which cells are hidden counts to protect. */
interface View { total: Interval; lines: (Interval[] | null)[]; protect: (line: number, cell: number) => boolean }

const viewOf = (published: ProtectedGroup, k: number, protect: View['protect']): View => ({
  total: intervalOf(published.total, k),
  lines: published.lines.map((line) => line?.map((shown) => intervalOf(shown, k)) ?? null),
  protect,
});

/**
 * Protected cells a reader could pin to one value. Both readings are exact for a group (each line's
 * possible sums form an unbroken range, and lines meet only in the total):
 *  - a count of 1 or more is checked against a reader who knows the group's total exactly (more
 *    than anything published says), so no outside knowledge of totals can pin it;
 *  - a zero is checked against what is published (the total's interval met with each line's sums),
 *    when `zeros` is set.
 */
function pinned(group: Group, view: View, zeros: boolean): [number, number][] {
  let [low, high] = view.total;
  const sums = view.lines.map((line) => {
    if (!line) return null;
    const sum = line.reduce<Interval>(([a, b], [lo, hi]) => [a + lo, b + hi], [0, 0]);
    [low, high] = [Math.max(low, sum[0]), Math.min(high, sum[1])];
    return sum;
  });
  const out: [number, number][] = [];
  view.lines.forEach((line, l) => {
    line?.forEach(([lo, hi], i) => {
      const count = group.lines[l]![i]!.count;
      if (!view.protect(l, i) || (count === 0 && !zeros)) return;
      const [t0, t1] = count > 0 ? [group.total.count, group.total.count] : [low, high];
      const from = Math.max(lo, t0 - (sums[l]![1] - hi));
      const to = Math.min(hi, t1 - (sums[l]![0] - lo));
      if (from >= to) out.push([l, i]);
    });
  });
  return out;
}

/** The other neighbouring multiple of 5 of a published count (a multiple of 5 has none). */
function otherRounding(count: number, shown: number): number | null {
  const rest = count % ROUNDING_BASE;
  if (rest === 0) return null;
  return shown === count - rest ? shown + ROUNDING_BASE : count - rest;
}

/**
 * Publishes a group at k, or null when its total is below k (the group is then not listed: every
 * count in it would be hidden). A turned rounding cannot be told from a drawn one: either
 * neighbouring multiple of 5 is a possible draw.
 */
export function protectGroup(group: Group, k: number): ProtectedGroup | null {
  if (group.total.count < k) return null;
  const draft: ProtectedGroup = { total: randomRound(group.total), lines: group.lines.map((line) => line.map((cell) => protectCell(cell, k))) };
  const hidden = (l: number, i: number) => typeof draft.lines[l]?.[i] === 'string';
  const count = () => pinned(group, viewOf(draft, k, hidden), true);
  const turned = new Set<string>();
  for (let left = count(); left.length; left = count()) {
    const turn = bestTurn(group, draft, k, turned, left.length, count);
    if (turn) turn();
    else draft.lines[left[0]![0]] = null;
  }
  return draft;
}

/** Turns the one rounding that leaves the fewest pinned cells, if that is fewer than now (returns the action). */
function bestTurn(group: Group, draft: ProtectedGroup, k: number, turned: Set<string>, now: number, count: () => unknown[]) {
  let best: { left: number; apply: () => void } | null = null;
  const consider = (id: string, shown: Shown | undefined, truth: number, set: (v: number) => void) => {
    if (turned.has(id) || typeof shown !== 'number' || truth < k) return;
    const other = otherRounding(truth, shown);
    if (other === null) return;
    set(other);
    const left = count().length;
    set(shown);
    if (left < now && (!best || left < best.left)) best = { left, apply: () => { set(other); turned.add(id); } };
  };
  consider('total', draft.total, group.total.count, (v) => { draft.total = v; });
  draft.lines.forEach((line, l) => line?.forEach((shown, i) => {
    consider(`${l}:${i}`, shown, group.lines[l]![i]!.count, (v) => { line[i] = v; });
  }));
  return (best as { apply: () => void } | null)?.apply;
}

/**
 * The same group published at a stricter k2 (> k), derived from its publication at k so that the two
 * together say no more than each: the same roundings, more counts hidden, and a line withheld where
 * this publication alone, or the two side by side, would let someone pin a count they each hide.
 */
export function restrictGroup(group: Group, atK: ProtectedGroup | null, k: number, k2: number): ProtectedGroup | null {
  if (!atK || group.total.count < k2) return null;
  const draft: ProtectedGroup = {
    total: atK.total,
    lines: atK.lines.map((line, l) => line?.map((shown, i) => (group.lines[l]![i]!.count < k2 ? hiddenMarker(k2) : shown)) ?? null),
  };
  const hiddenAtK = (l: number, i: number) => group.lines[l]![i]!.count < k;
  for (;;) {
    const alone = pinned(group, viewOf(draft, k2, (l, i) => typeof draft.lines[l]?.[i] === 'string'), true);
    const mine = viewOf(draft, k2, hiddenAtK);
    const theirs = viewOf(atK, k, hiddenAtK);
    const meet = (a: Interval, b: Interval): Interval => [Math.max(a[0], b[0]), Math.min(a[1], b[1])];
    const both: View = {
      total: meet(mine.total, theirs.total),
      lines: mine.lines.map((line, l) => line?.map((iv, i) => meet(iv, theirs.lines[l]![i]!)) ?? null),
      protect: hiddenAtK,
    };
    const left = [...alone, ...pinned(group, both, false)];
    if (!left.length) return draft;
    draft.lines[left[0]![0]] = null;
  }
}
