// The disclosure-control module against crafted and random groups: every published number is an
// honest rounding or an honest "<k", and an independent attacker (test/helpers/attacker.ts) that
// enumerates every true value consistent with a group's published numbers, with and without the
// group's exact total, never narrows a hidden count to one value.
import { describe, expect, it } from 'vitest';
import {
  hiddenMarker, protectCell, protectGroup, randomRound, restrictGroup, type Group, type ProtectedGroup,
} from '../../server/stats/disclosure.ts';
import { recovered } from '../helpers/attacker.ts';

const K = 5;
const group = (lines: number[][], draws: (l: number, i: number) => number = () => 0, totalDraw = 0): Group => ({
  total: { count: lines[0]!.reduce((a, b) => a + b, 0), draw: totalDraw },
  lines: lines.map((line, l) => line.map((count, i) => ({ count, draw: draws(l, i) }))),
});
const truthOf = (g: Group) => ({ total: g.total.count, lines: g.lines.map((line) => line.map((c) => c.count)) });

/** Published values are what the method says: hidden below k, else a neighbouring multiple of 5. */
function expectHonest(g: Group, published: ProtectedGroup) {
  expect(published.total % 5).toBe(0);
  expect(Math.abs(published.total - g.total.count)).toBeLessThan(5);
  published.lines.forEach((line, l) => line?.forEach((shown, i) => {
    const count = g.lines[l]![i]!.count;
    if (typeof shown === 'string') {
      expect(shown).toBe(hiddenMarker(K));
      expect(count).toBeLessThan(K);
    } else {
      expect(count).toBeGreaterThanOrEqual(K);
      expect(shown % 5).toBe(0);
      expect(Math.abs(shown - count)).toBeLessThan(5);
    }
  }));
}

/** Every way the draws could fall for the cells whose rounding has a choice (up to 2^10 of them). */
function everyDraw(lines: number[][], check: (g: Group) => void) {
  const choosy = lines.flatMap((line, l) => line.map((count, i) => [l, i, count] as const)).filter(([, , c]) => c >= K && c % 5);
  const totalChoosy = lines[0]!.reduce((a, b) => a + b, 0) % 5 !== 0;
  const n = choosy.length + (totalChoosy ? 1 : 0);
  expect(n).toBeLessThanOrEqual(10);
  for (let mask = 0; mask < 1 << n; mask++) {
    const up = new Set(choosy.filter((_, j) => mask & (1 << j)).map(([l, i]) => `${l}:${i}`));
    check(group(lines, (l, i) => (up.has(`${l}:${i}`) ? 0 : 0.999), totalChoosy && mask & (1 << choosy.length) ? 0 : 0.999));
  }
}

function expectSafe(g: Group) {
  const published = protectGroup(g, K);
  if (!published) return expect(g.total.count).toBeLessThan(K);
  expectHonest(g, published);
  expect(recovered([{ group: published, k: K }], truthOf(g)), JSON.stringify({ truth: truthOf(g), published })).toEqual([]);
  // A stricter publication of the same group: safe alone at its k, and adds nothing to the first.
  const strict = restrictGroup(g, published, K, 10);
  if (!strict) return expect(g.total.count).toBeLessThan(10);
  expect(recovered([{ group: strict, k: 10 }], truthOf(g)), JSON.stringify({ truth: truthOf(g), strict })).toEqual([]);
  expect(recovered([{ group: published, k: K }, { group: strict, k: 10 }], truthOf(g), K), JSON.stringify({ truth: truthOf(g), published, strict })).toEqual([]);
}

describe('rounding', () => {
  it('leaves multiples of 5 alone and otherwise picks a neighbouring multiple, up as often as the remainder says', () => {
    expect(randomRound({ count: 10, draw: 0.99 })).toBe(10);
    expect(randomRound({ count: 12, draw: 0.1 })).toBe(15);
    expect(randomRound({ count: 12, draw: 0.5 })).toBe(10);
    // Unbiased: over evenly spread draws the mean of the rounded values is the count.
    for (const count of [6, 7, 8, 9, 23]) {
      const draws = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
      expect(draws.reduce((sum, draw) => sum + randomRound({ count, draw }), 0) / draws.length).toBeCloseTo(count, 5);
    }
  });

  it('hides a lone count below k and rounds the others', () => {
    expect(protectCell({ count: 0, draw: 0 }, K)).toBe('<5');
    expect(protectCell({ count: 4, draw: 0 }, K)).toBe('<5');
    expect(protectCell({ count: 5, draw: 0 }, K)).toBe(5);
    expect(protectCell({ count: 9, draw: 0.99 }, 10)).toBe('<10');
  });
});

describe('a group and its lines', () => {
  it('does not list a group of one case (or any group below k)', () => {
    expect(protectGroup(group([[1, 0, 0]]), K)).toBeNull();
    expect(protectGroup(group([[2, 2, 0], [4, 0, 0]]), K)).toBeNull();
  });

  it('protects a cell of 1 next to its marginal total, however the roundings fall', () => {
    for (const lines of [[[5, 1, 0, 0]], [[8, 1, 0]], [[10, 1]], [[14, 1, 0, 0]], [[6, 1, 0, 0, 0]]]) everyDraw(lines, expectSafe);
  });

  it('protects two overlapping tables (two breakdowns of the same total)', () => {
    everyDraw([[9, 1, 0, 2], [7, 4, 1, 0]], expectSafe);
    everyDraw([[4, 4, 9, 0], [12, 1, 4]], expectSafe);
    everyDraw([[6, 6, 3], [3, 3, 3, 3, 3], [13, 2]], expectSafe);
  });

  it('turns a rounding or withholds a line where plain rounding would give a count away', () => {
    // Four outcomes of 4 each: whoever knows the total (16) knows every one of them.
    const fours = group([[4, 4, 4, 4]]);
    const plain = { total: randomRound(fours.total), lines: [fours.lines[0]!.map((c) => protectCell(c, K))] };
    expect(recovered([{ group: plain, k: K }], truthOf(fours)).length).toBeGreaterThan(0);
    const published = protectGroup(fours, K)!;
    expect(published.lines).toEqual([null]);
    expectSafe(fours);
    // 9 and 4 with the 9 rounded down to 5: knowing the total 13, the 4 would be pinned; rounding the 9 up protects it.
    const turned = group([[9, 4], [13]], () => 0.999);
    const out = protectGroup(turned, K)!;
    expect(out.lines[0]![0]).toBe(10);
    expectSafe(turned);
  });

  it('withstands the attacker on thousands of random groups, and the attacker has teeth', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Small counts, often 4 or just under a multiple of 5: where the edges of the intervals meet.
    const small = () => { const r = random(); return r < 0.15 ? 0 : r < 0.55 ? 1 + Math.floor(random() * 4) : r < 0.75 ? 4 : 5 + Math.floor(random() * 12); };
    let plainRecoveries = 0;
    for (let trial = 0; trial < 1000; trial++) {
      const first = Array.from({ length: 2 + Math.floor(random() * 4) }, small);
      const total = first.reduce((a, b) => a + b, 0);
      const lines = [first];
      for (let extra = Math.floor(random() * 3); extra > 0; extra--) {
        // Another breakdown of the same cases: split the total at random over a few cells.
        const line = Array.from({ length: 1 + Math.floor(random() * 4) }, () => 0);
        for (let n = 0; n < total; n++) line[Math.floor(random() * line.length)]!++;
        lines.push(line);
      }
      const g = group(lines, () => random(), random());
      expectSafe(g);
      if (g.total.count >= K) {
        const plain = { total: randomRound(g.total), lines: g.lines.map((line) => line.map((c) => protectCell(c, K))) };
        if (recovered([{ group: plain, k: K }], truthOf(g)).length) plainRecoveries++;
      }
    }
    // Without the audit the same attacker does recover counts: its silence above means something.
    expect(plainRecoveries).toBeGreaterThan(10);
  });
});
