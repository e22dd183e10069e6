// TypeBox schemas of remedy at the desk: the pathway directory (and the data file it is seeded
// from), case coding, referrals, deadlines, notification settings and team retention. Same rules
// as protocol/desk-api.ts: requests are validated and closed, responses serialised through these.
import { Type, type Static } from 'typebox';
import { REFERENCE_PATTERN } from './case-reference.ts';
import { Day, Id, Nullable, OneOf, Time, strict } from './schema-kit.ts';
import {
  CASE_STATUSES, COUNTRIES, DEADLINE_KINDS, DEADLINE_STATES, DEPLOYER_CLASSES, HARM_CATEGORY_IDS, LANGUAGE_CODES, LAWYER_NEEDS,
  NOTIFY_MODES, PATHWAY_COSTS, PATHWAY_KINDS, PATHWAY_POWERS, REFERRAL_OUTCOMES, SYSTEM_TYPES,
} from './taxonomy.ts';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

// ——— The directory: one entry of db/seed/pathways.json ———

/** An entry of the directory, exactly as in the data file; admins edit the same shape. */
export const PathwayEntry = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' }),
  name: Text(300),
  kind: OneOf(PATHWAY_KINDS),
  whoMayComplain: Text(2000),
  about: Text(4000),
  /** ISO 3166-1 alpha-2 codes where the body acts; empty: wherever the deployer is. */
  countries: Type.Array(OneOf(COUNTRIES), { maxItems: 300 }),
  /** Deployer classes it covers; empty: any. */
  deployers: Type.Array(OneOf(DEPLOYER_CLASSES), { maxItems: 20 }),
  /** Harm categories it can act on; empty: any. */
  harmCategories: Type.Array(OneOf(HARM_CATEGORY_IDS), { maxItems: 20 }),
  /** Acts on an imminent risk (interim measures, urgent appeals). */
  urgent: Type.Boolean(),
  deadline: Type.Object({ months: Nullable(Type.Integer({ minimum: 1, maximum: 600 })), text: Text(1000) }, strict),
  /** ISO 639-1 codes of the languages a complaint may be written in. */
  languages: Type.Array(Type.String({ pattern: '^[a-z]{2,3}$' }), { minItems: 1, maxItems: 60 }),
  how: Type.Object({ web: Nullable(Text(500)), email: Nullable(Text(254)), postal: Nullable(Text(500)) }, strict),
  cost: OneOf(PATHWAY_COSTS),
  lawyerNeeded: OneOf(LAWYER_NEEDS),
  canAchieve: Type.Array(OneOf(PATHWAY_POWERS), { maxItems: 4 }),
  typicalTime: Text(1000),
  sources: Type.Array(Type.Object({ url: Text(500), title: Text(300) }, strict), { minItems: 1, maxItems: 20 }),
  /** The day the entry was last checked against its sources. */
  checked: Day,
  /** Fields (dotted paths) that could not be verified: shown as such, never filled in by guess. */
  unverified: Type.Array(Text(40), { maxItems: 30 }),
}, strict);
export type PathwayEntry = Static<typeof PathwayEntry>;

export const PathwayView = Type.Object({ ...PathwayEntry.properties, retiredAt: Nullable(Time) }, strict);
export type PathwayView = Static<typeof PathwayView>;

export const PathwayParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, strict);
export const EditPathway = Type.Object({ entry: PathwayEntry, retired: Type.Boolean() }, strict);
export type EditPathway = Static<typeof EditPathway>;

// ——— Deadlines ———

export const Timer = Type.Object({ kind: OneOf(DEADLINE_KINDS), due: Time, state: OneOf(DEADLINE_STATES) }, strict);
export type Timer = Static<typeof Timer>;

export const DeadlinesQuery = Type.Object({ scope: Type.Optional(OneOf(['mine', 'team'] as const)) }, strict);
export const DeadlineItem = Type.Object({
  caseId: Id, reference: Type.String(), status: OneOf(CASE_STATUSES), urgent: Type.Boolean(), assigneeId: Nullable(Id),
  kind: OneOf(DEADLINE_KINDS), due: Time, state: OneOf(DEADLINE_STATES),
  /** For a referral's follow-up: which body. */
  pathwayName: Nullable(Type.String()),
}, strict);
export type DeadlineItem = Static<typeof DeadlineItem>;

// ——— Coding, referrals, suggestions: the remedy panel of a case ———

export const Coding = Type.Object({
  codedCategory: Nullable(OneOf(HARM_CATEGORY_IDS)),
  codedSystemType: Nullable(OneOf(SYSTEM_TYPES)),
  deployerClass: Nullable(OneOf(DEPLOYER_CLASSES)),
  deploymentId: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
}, strict);
export type Coding = Static<typeof Coding>;

/** The body's own reference for the complaint: printable text, as the body wrote it. */
const BodyReference = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' });

export const NewReferral = Type.Object({
  pathwayId: Type.String({ minLength: 1, maxLength: 64 }),
  sentOn: Day,
  bodyReference: Type.Optional(BodyReference),
  followUpOn: Type.Optional(Day),
  /** Personal data goes with it: needs the reporter's second consent. */
  sharePersonalData: Type.Boolean(),
}, strict);
export type NewReferral = Static<typeof NewReferral>;

export const EditReferral = Type.Object({
  bodyReference: Nullable(BodyReference),
  followUpOn: Nullable(Day),
  outcome: Nullable(OneOf(REFERRAL_OUTCOMES)),
  outcomeOn: Nullable(Day),
}, strict);
export type EditReferral = Static<typeof EditReferral>;
export const ReferralParams = Type.Object({ id: Id, referralId: Id }, strict);

export const Referral = Type.Object({
  id: Id, pathwayId: Type.String(), pathwayName: Type.String(), pathwayKind: OneOf(PATHWAY_KINDS),
  sentOn: Day, bodyReference: Nullable(Type.String()), followUpOn: Nullable(Day),
  outcome: Nullable(OneOf(REFERRAL_OUTCOMES)), outcomeOn: Nullable(Day), sharedPersonalData: Type.Boolean(), createdBy: Id,
}, strict);
export type Referral = Static<typeof Referral>;

/** Where the deadline to complain to a body stands for this case (counted from the incident month). */
export const PATHWAY_DEADLINE_STATES = ['open', 'closing_soon', 'passed', 'no_fixed_deadline', 'incident_unknown'] as const;
/** Why a pathway is suggested. */
export const SUGGESTION_REASONS = ['urgent', 'category', 'deployer', 'deployment', 'country', 'kind'] as const;

export const Suggestion = Type.Object({
  pathwayId: Type.String(), name: Type.String(), kind: OneOf(PATHWAY_KINDS),
  reasons: Type.Array(OneOf(SUGGESTION_REASONS)),
  /** closesOn: the earliest day the deadline may close (the incident month is known, the day is not). */
  deadline: Type.Object({ state: OneOf(PATHWAY_DEADLINE_STATES), closesOn: Nullable(Day), text: Type.String() }, strict),
  urgent: Type.Boolean(), lawyerNeeded: OneOf(LAWYER_NEEDS), canAchieve: Type.Array(OneOf(PATHWAY_POWERS)),
}, strict);
export type Suggestion = Static<typeof Suggestion>;

export const RemedyPanel = Type.Object({
  reference: Type.String(),
  consent: Type.Object({ referral: Type.Boolean(), shareData: Type.Boolean() }, strict),
  coding: Coding,
  /** Register entries (deployments table) the case can be coded with, when there are any. */
  deployments: Type.Array(Type.Object({ id: Type.String(), systemName: Type.String() }, strict)),
  timers: Type.Array(Timer),
  /** For a closed case: the last day the reporter may still write. */
  repliesOpenUntil: Nullable(Day),
  referrals: Type.Array(Referral),
  suggestions: Type.Array(Suggestion),
}, strict);
export type RemedyPanel = Static<typeof RemedyPanel>;

/** A reference, or its start, typed into the queue's search (normalised by protocol/case-reference.ts). */
export const ReferenceSearch = Type.String({ minLength: 1, maxLength: 20 });
export { REFERENCE_PATTERN };

// ——— Settings: my notifications, a team's retention ———

export const NotifySettings = Type.Object({ mode: OneOf(NOTIFY_MODES), language: OneOf(LANGUAGE_CODES) }, strict);
export type NotifySettings = Static<typeof NotifySettings>;

export const TeamSettings = Type.Object({
  retentionDays: Type.Integer({ minimum: 30, maximum: 3650 }),
  graceDays: Type.Integer({ minimum: 0, maximum: 365 }),
}, strict);
export type TeamSettings = Static<typeof TeamSettings>;
