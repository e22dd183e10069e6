// What one quarter's statistics are computed from, frozen in stat_releases at the quarter's first
// publication (docs/STATISTICS.md §3): true counts by the day each event happened, keyed sparsely
// (a missing key is a zero). Never published as such: every number goes through disclosure control.
import type { CloseOutcome, DeployerClass, HarmCategoryId, PathwayKind, SystemType } from '../protocol/taxonomy.ts';
import type { ReferralEvent, SensitiveGroup } from '../protocol/stats-api.ts';

type Counts<K extends string> = Partial<Record<K, number>>;

export interface QuarterAggregate {
  version: 1;
  /** Cases received in the quarter, by country, except sensitive ones. */
  received: Record<string, { total: number; harm: Counts<HarmCategoryId>; system: Counts<SystemType>; deployer: Counts<DeployerClass> }>;
  /** Sensitive cases received in the quarter, by country (published only as yearly totals). */
  sensitive: Record<string, Counts<SensitiveGroup>>;
  /** Cases closed in the quarter, by country: outcomes and the median of days from receipt. */
  closed: Record<string, { total: number; outcome: Counts<CloseOutcome>; medianDays: number }>;
  /** Cases acknowledged in the quarter, by country, with the median of days from receipt. */
  acknowledged: Record<string, { total: number; medianDays: number }>;
  /** Cases with a referral event in the quarter (sent, or an outcome), by pathway kind: distinct cases. */
  referrals: Partial<Record<PathwayKind, Counts<ReferralEvent>>>;
  /** By register entry: cases received in the quarter linked to it, and cases whose first remedy came in the quarter. */
  deployments: Record<string, { complaints: number; remedies: number }>;
}
