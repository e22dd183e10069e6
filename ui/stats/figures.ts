// Reading a publication for charts and tables (desk and public page): the countries and quarters
// it lists, and a line of a table for one country and quarter. A country absent from a quarter had
// fewer than k reports there, which is what "<k" says, so it reads as "<k".
import type { Publication, StatRow, StatTableId } from '../../protocol/stats-api.ts';

export const hidden = (p: Publication) => `<${p.k}`;
const rowsOf = (p: Publication, id: StatTableId): StatRow[] => p.tables.find((t) => t.id === id)?.rows ?? [];
const numeric = (count: StatRow['count']) => (typeof count === 'number' ? count : 0);

/** The latest quarter with any country listed (later released quarters may have none), else the latest. */
export function latestListed(p: Publication): string | undefined {
  const listed = new Set(rowsOf(p, 'reports_by_country_quarter').map((r) => r.quarter));
  return [...p.quarters].reverse().find((q) => listed.has(q)) ?? p.quarters.at(-1);
}

/** Countries with a listed quarter, most reports in the latest listed quarter first. */
export function countriesOf(p: Publication): string[] {
  const latest = latestListed(p);
  const size = new Map<string, number>();
  for (const row of rowsOf(p, 'reports_by_country_quarter')) {
    size.set(row.country!, (size.get(row.country!) ?? 0) + (row.quarter === latest ? 1000 * numeric(row.count) : numeric(row.count)));
  }
  return [...size].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/** Reports of each listed country in a quarter. */
export const reportsByCountry = (p: Publication, quarter: string) =>
  rowsOf(p, 'reports_by_country_quarter').filter((r) => r.quarter === quarter).map((r) => ({ country: r.country!, value: r.count }));

/** A country's reports in every published quarter. */
export const reportsOverTime = (p: Publication, country: string) =>
  p.quarters.map((quarter) => ({ quarter, value: rowsOf(p, 'reports_by_country_quarter').find((r) => r.country === country && r.quarter === quarter)?.count ?? hidden(p) }));

/**
 * One line of a breakdown table for a country and quarter: the values in the table's order, "withheld"
 * when the line was left out to protect a count, or "absent" when the country is not listed then.
 */
export function lineOf(p: Publication, id: StatTableId, dimension: keyof StatRow, country: string, quarter: string): { id: string; value: number | string }[] | 'withheld' | 'absent' {
  const table = p.tables.find((t) => t.id === id);
  if (table?.withheld.some((w) => w.country === country && w.quarter === quarter)) return 'withheld';
  const rows = (table?.rows ?? []).filter((r) => r.country === country && r.quarter === quarter);
  return rows.length ? rows.map((r) => ({ id: String(r[dimension]), value: r.count })) : 'absent';
}

/** A days_to_* row for a country and quarter: its count and median, when listed. */
export const daysOf = (p: Publication, id: 'days_to_outcome_by_country_quarter' | 'days_to_acknowledgement_by_country_quarter', country: string, quarter: string) =>
  rowsOf(p, id).find((r) => r.country === country && r.quarter === quarter) ?? null;
