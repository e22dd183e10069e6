// The register of AI deployments behind harms: an entry (as in db/seed/deployments.json), the six
// questions every deployment should answer, read at a glance from the entry, and what the desk and
// the public page show of it, with disclosure-controlled counts of the cases linked to it.
import { Type, type Static } from 'typebox';
import { Day, Nullable, OneOf, strict } from './schema-kit.ts';
import { PublishedCount } from './stats-api.ts';
import { COUNTRIES, DEPLOYER_CLASSES, PATHWAY_KINDS, SYSTEM_TYPES } from './taxonomy.ts';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Url = Type.String({ maxLength: 2000, pattern: '^https?://[^\\s]+$' });

export const Source = Type.Object({
  url: Url,
  title: Text(300),
  /** When the source was published: a year, a month or a day; null when it carries none. */
  date: Nullable(Type.String({ pattern: '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$' })),
}, strict);

/** A register entry. Fields the sources did not settle are named in `unverified` (e.g. "fria.published"). */
export const DeploymentEntry = Type.Object({
  systemName: Text(200),
  systemType: OneOf(SYSTEM_TYPES),
  deployer: Text(600),
  deployerClass: OneOf(DEPLOYER_CLASSES),
  countries: Type.Array(OneOf(COUNTRIES), { maxItems: 250 }),
  statedPurpose: Text(4000),
  actualUse: Nullable(Text(4000)),
  legalBasis: Nullable(Text(2000)),
  oversightBody: Nullable(Text(1000)),
  oversightIndependent: Nullable(Type.Boolean()),
  errorRates: Type.Object({ published: Type.Boolean(), figures: Nullable(Text(2000)), auditedBy: Nullable(Text(600)) }, strict),
  /** Bodies of the pathway directory that can take a complaint about it; empty: none documented. */
  pathwayIds: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 20 }),
  pathwayNote: Nullable(Text(2000)),
  fria: Type.Object({ published: Type.Boolean(), url: Nullable(Url) }, strict),
  /** At least one (checked by the service, so a refusal is audited). */
  sources: Type.Array(Source, { maxItems: 50 }),
  checked: Nullable(Day),
  unverified: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 }),
}, strict);
export type DeploymentEntry = Static<typeof DeploymentEntry>;

/** The six questions (the seed article's), and the fields each is answered from. */
export const QUESTIONS = ['purpose', 'legalBasis', 'oversight', 'errorRates', 'remedyPathway', 'fria'] as const;
export type Question = (typeof QUESTIONS)[number];
export const QUESTION_FIELDS: Record<Question, readonly string[]> = {
  purpose: ['statedPurpose', 'actualUse'],
  legalBasis: ['legalBasis'],
  oversight: ['oversightBody', 'oversightIndependent'],
  errorRates: ['errorRates', 'errorRates.published', 'errorRates.figures', 'errorRates.auditedBy'],
  remedyPathway: ['pathwayIds', 'pathwayNote'],
  fria: ['fria', 'fria.published', 'fria.url'],
};

export const ANSWERS = {
  purpose: ['use_documented', 'use_not_documented'],
  legalBasis: ['documented', 'none_identified'],
  oversight: ['independent', 'not_independent', 'unknown'],
  errorRates: ['published_audited', 'published_not_audited', 'not_published'],
  remedyPathway: ['linked', 'none_documented'],
  fria: ['published', 'not_published'],
} as const;
export type Glance = { [Q in Question]: (typeof ANSWERS)[Q][number] };

/** Each question's answer at a glance, from the entry alone (no judgement is added). */
export function glanceOf(entry: DeploymentEntry): Glance {
  return {
    purpose: entry.actualUse ? 'use_documented' : 'use_not_documented',
    legalBasis: entry.legalBasis ? 'documented' : 'none_identified',
    oversight: entry.oversightIndependent === true ? 'independent' : entry.oversightIndependent === false ? 'not_independent' : 'unknown',
    errorRates: !entry.errorRates.published ? 'not_published' : entry.errorRates.auditedBy ? 'published_audited' : 'published_not_audited',
    remedyPathway: entry.pathwayIds.length ? 'linked' : 'none_documented',
    fria: entry.fria.published ? 'published' : 'not_published',
  };
}

/** Whether the entry marks any field behind a question as not verified. */
export const isUnverified = (entry: DeploymentEntry, question: Question) =>
  entry.unverified.some((field) => QUESTION_FIELDS[question].includes(field));

export const GlanceSchema = Type.Object(Object.fromEntries(QUESTIONS.map((q) => [q, OneOf(ANSWERS[q])])) as Record<Question, ReturnType<typeof OneOf>>, strict);

export const PathwayLink = Type.Object({ id: Type.String(), name: Nullable(Type.String()), kind: Nullable(OneOf(PATHWAY_KINDS)) }, strict);

export const DeploymentView = Type.Object({
  id: Type.String(),
  entry: DeploymentEntry,
  updatedAt: Type.String(),
  glance: GlanceSchema,
  /** The entry's pathways as found in the directory (name null: not in the directory). */
  pathways: Type.Array(PathwayLink),
  /** Cases linked to it and how many reached a remedy, over released quarters, disclosure-controlled. */
  cases: Type.Object({ complaints: PublishedCount, remedies: PublishedCount }, strict),
}, strict);
export type DeploymentView = Static<typeof DeploymentView>;

export const RegisterView = Type.Object({
  entries: Type.Array(DeploymentView),
  /** The directory, to link an entry to (active bodies only). */
  directory: Type.Array(PathwayLink),
  /** The day the counts are published as, and the threshold below which they are hidden. */
  asOf: Day,
  k: Type.Integer(),
}, strict);
export type RegisterView = Static<typeof RegisterView>;

export const DeploymentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) }, strict);
