// The fixed statistics tables and their exchange: table ids and dimensions, the publication (the
// JSON export, and what the desk and the public page draw from), the query and the settings.
// Which numbers may appear is decided by the disclosure control (docs/STATISTICS.md).
import { Type, type Static } from 'typebox';
import { Day, Nullable, OneOf, strict } from './schema-kit.ts';
import { HARM_CATEGORY_IDS, REFERRAL_OUTCOMES } from './taxonomy.ts';

/** The only tables there are: no other table, breakdown or filter can be asked for. */
export const STAT_TABLES = [
  'reports_by_country_quarter', 'harm_by_country_quarter', 'system_by_country_quarter', 'deployer_by_country_quarter',
  'outcomes_by_country_quarter', 'days_to_outcome_by_country_quarter', 'days_to_acknowledgement_by_country_quarter',
  'referrals_by_pathway_kind_quarter', 'sensitive_by_country_year', 'complaints_by_deployment',
] as const;
export type StatTableId = (typeof STAT_TABLES)[number];

export const STAT_DIMENSIONS = [
  'country', 'quarter', 'year', 'harm_category', 'system_type', 'deployer_class', 'outcome', 'pathway_kind', 'referral_event',
  'sensitive_group', 'deployment', 'measure',
] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

/** Each table's dimensions, in order. The quarter is that of the event counted (docs/STATISTICS.md §2). */
export const TABLE_DIMENSIONS: Record<StatTableId, readonly StatDimension[]> = {
  reports_by_country_quarter: ['country', 'quarter'],
  harm_by_country_quarter: ['country', 'quarter', 'harm_category'],
  system_by_country_quarter: ['country', 'quarter', 'system_type'],
  deployer_by_country_quarter: ['country', 'quarter', 'deployer_class'],
  outcomes_by_country_quarter: ['country', 'quarter', 'outcome'],
  days_to_outcome_by_country_quarter: ['country', 'quarter'],
  days_to_acknowledgement_by_country_quarter: ['country', 'quarter'],
  referrals_by_pathway_kind_quarter: ['quarter', 'pathway_kind', 'referral_event'],
  sensitive_by_country_year: ['country', 'year', 'sensitive_group'],
  complaints_by_deployment: ['deployment', 'measure'],
};

/** Harm categories counted by quarter: all but the sensitive one, which is published only yearly. */
export const QUARTERLY_HARM_CATEGORIES = HARM_CATEGORY_IDS.filter((id) => id !== 'sexual_exploitation');
/** What happened to a referral in a quarter: sent, or one of its outcomes. */
export const REFERRAL_EVENTS = ['sent', ...REFERRAL_OUTCOMES] as const;
export type ReferralEvent = (typeof REFERRAL_EVENTS)[number];
/** Sensitive cases, counted only as yearly national totals; a case can be in both. */
export const SENSITIVE_GROUPS = ['sexual_exploitation', 'child'] as const;
export type SensitiveGroup = (typeof SENSITIVE_GROUPS)[number];
export const DEPLOYMENT_MEASURES = ['complaints', 'remedies'] as const;

export const EXPORT_FORMATS = ['csv', 'json', 'hxl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** YYYY-Qn. */
export const QUARTER_PATTERN = /^([0-9]{4})-Q([1-4])$/;

/**
 * What a publication may be asked for. Strings on purpose: their meaning is checked by the
 * statistics service, which refuses (and audits) anything outside the fixed set.
 */
export const StatsQuery = Type.Object({
  /** Comma-separated table ids; all tables when absent. */
  tables: Type.Optional(Type.String({ maxLength: 400 })),
  /** First and last quarter (YYYY-Qn); released quarters only. */
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  /** Publish as on this day (YYYY-MM-DD, not after today): reproduces an earlier publication. */
  asOf: Type.Optional(Type.String({ maxLength: 20 })),
  /** A stricter threshold than the organisation's (a multiple of 5, never below it). */
  k: Type.Optional(Type.String({ maxLength: 6 })),
}, strict);
export type StatsQuery = Static<typeof StatsQuery>;

export const ExportQuery = Type.Object({ ...StatsQuery.properties, format: Type.Optional(Type.String({ maxLength: 20 })) }, strict);
export type ExportQuery = Static<typeof ExportQuery>;

/** A count as published: a multiple of 5, or "<k" for a hidden one. */
export const PublishedCount = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^<[0-9]+$' })]);

const Value = Type.Optional(Type.String({ maxLength: 64 }));
/** A row: the values of its table's dimensions (machine ids: ISO country codes, YYYY-Qn, taxonomy ids), and its count. */
export const StatRow = Type.Object({
  country: Value, quarter: Value, year: Value, harm_category: Value, system_type: Value, deployer_class: Value, outcome: Value,
  pathway_kind: Value, referral_event: Value, sensitive_group: Value, deployment: Value, measure: Value,
  count: PublishedCount,
  /** Median days (days_to_* tables), where the row's count is at least k. */
  median_days: Type.Optional(Type.Integer()),
}, strict);
export type StatRow = Static<typeof StatRow>;

export const StatTable = Type.Object({
  id: OneOf(STAT_TABLES),
  dimensions: Type.Array(OneOf(STAT_DIMENSIONS)),
  rows: Type.Array(StatRow),
  /** Countries and quarters whose rows of this table were withheld to protect a hidden count. */
  withheld: Type.Array(Type.Object({ country: Type.String(), quarter: Type.String() }, strict)),
}, strict);
export type StatTable = Static<typeof StatTable>;

export const Publication = Type.Object({
  format: Type.Literal('redress-statistics/1'),
  organisation: Type.String(),
  /** The day the tables are published as: quarters released by then are in. */
  asOf: Day,
  k: Type.Integer(),
  roundingBase: Type.Integer(),
  embargoDays: Type.Integer(),
  /** Released quarters covered (YYYY-Qn), oldest first; years whose four quarters are released. */
  quarters: Type.Array(Type.String()),
  years: Type.Array(Type.String()),
  tables: Type.Array(StatTable),
}, strict);
export type Publication = Static<typeof Publication>;

export const StatsSettings = Type.Object({
  publicPage: Type.Boolean(),
  k: Type.Integer(),
  embargoDays: Type.Integer(),
  /** The latest released quarter, and the next one with the day it will be released. */
  latestQuarter: Nullable(Type.String()),
  nextRelease: Type.Object({ quarter: Type.String(), on: Day }, strict),
}, strict);
export type StatsSettings = Static<typeof StatsSettings>;

export const EditStatsSettings = Type.Object({ publicPage: Type.Boolean() }, strict);
export type EditStatsSettings = Static<typeof EditStatsSettings>;
