// TypeBox schemas of the desk API (caseworkers, admins, analysts): sign-in, the queue, a case,
// teams and keys, routing and public texts (accounts, invitations and the audit log are in
// accounts-api.ts). Same rules as
// protocol/api.ts: requests are validated and closed, responses are serialised through these.
import { Type, type Static } from 'typebox';
import { EnvelopeOf, ReportClear } from './api.ts';
import { ReferenceSearch, Timer } from './remedy-api.ts';
import { RoutingRule, RoutingTable } from './routing.ts';
import { B64, Day, Id, Nullable, OneOf, Time, strict } from './schema-kit.ts';
import {
  ACCOUNT_ROLES, CASE_STATUSES, CLOSE_OUTCOMES, COUNTRIES, HARM_CATEGORY_IDS, LANGUAGE_CODES, MESSAGE_DIRECTIONS, NOTIFY_MODES,
  REOPEN_REASONS, SEALED_BY, SYSTEM_TYPES,
} from './taxonomy.ts';

export { CLOSE_OUTCOMES };

// ——— Sign-in ———

export const Prelogin = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, strict);
export const KdfParamsSchema = Type.Object({ salt: B64(16), opslimit: Type.Integer(), memlimit: Type.Integer() }, strict);

export const Login = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  authKey: B64(32),
  totp: Type.Optional(Type.String({ maxLength: 12 })),
}, strict);
export type Login = Static<typeof Login>;

export const TotpCode = Type.Object({ code: Type.String({ maxLength: 12 }) }, strict);

export const Me = Type.Object({
  id: Id,
  email: Type.String(),
  role: OneOf(ACCOUNT_ROLES),
  publicKey: B64(32),
  wrappedPrivateKey: Type.String(),
  csrfToken: Type.String(),
  /** granted: holds a grant for the team's current key; a member without any is "waiting for access" (§31.6). */
  teams: Type.Array(Type.Object({ id: Id, name: Type.String(), restricted: Type.Boolean(), granted: Type.Boolean() }, strict)),
  notify: OneOf(NOTIFY_MODES),
  notifyLanguage: OneOf(LANGUAGE_CODES),
}, strict);
export type Me = Static<typeof Me>;

export const LoginResult = Type.Union([
  Type.Object({ next: Type.Literal('done'), me: Me }, strict),
  Type.Object({ next: Type.Literal('enrol_totp'), totpSecret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String(), csrfToken: Type.String() }, strict),
]);
export type LoginResult = Static<typeof LoginResult>;

// ——— The queue and a case ———

export const QueueQuery = Type.Object({
  status: Type.Optional(OneOf(CASE_STATUSES)),
  category: Type.Optional(OneOf(HARM_CATEGORY_IDS)),
  country: Type.Optional(OneOf([...COUNTRIES, 'unknown'])),
  language: Type.Optional(OneOf(LANGUAGE_CODES)),
  urgent: Type.Optional(OneOf(['true', 'false'] as const)),
  /** An account id, or 'none' for unassigned cases. */
  assignee: Type.Optional(Id),
  overdue: Type.Optional(Type.Literal('true')),
  /** Only cases with reporter messages nobody has read yet. */
  unread: Type.Optional(Type.Literal('true')),
  /** A case reference or its start (RDX-7K4M-2Q, 7k4m2q, rdx-7k4m). */
  reference: Type.Optional(ReferenceSearch),
  sort: Type.Optional(OneOf(['deadline', 'received'] as const)),
  page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' })),
}, strict);
export type QueueQuery = Static<typeof QueueQuery>;

export const QueueItem = Type.Object({
  id: Id, teamId: Id, status: OneOf(CASE_STATUSES), category: OneOf(HARM_CATEGORY_IDS), systemType: OneOf(SYSTEM_TYPES),
  country: Type.String(), language: OneOf(LANGUAGE_CODES), urgent: Type.Boolean(), child: Type.Boolean(), receivedOn: Day,
  triageDue: Time, acknowledgeDue: Time, assigneeId: Nullable(Id), sealedBy: OneOf(SEALED_BY), overdue: Type.Boolean(),
  reference: Type.String(),
  /** Reporter messages no team member has read yet. */
  unread: Type.Integer(),
  /** The most pressing deadline that still applies (overdue first), or null. */
  deadline: Nullable(Timer),
}, strict);
export type QueueItem = Static<typeof QueueItem>;

export const QueuePage = Type.Object({
  items: Type.Array(QueueItem),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  counts: Type.Object({
    byStatus: Type.Record(Type.String(), Type.Integer()),
    overdue: Type.Integer(),
    urgent: Type.Integer(),
    /** Cases with unread reporter messages. */
    unread: Type.Integer(),
  }, strict),
}, strict);
export type QueuePage = Static<typeof QueuePage>;

export const CaseParams = Type.Object({ id: Id }, strict);

export const CaseDetail = Type.Object({
  id: Id, teamId: Id, status: OneOf(CASE_STATUSES), outcome: Nullable(OneOf(CLOSE_OUTCOMES)), receivedOn: Day,
  triageDue: Time, acknowledgeDue: Time, assigneeId: Nullable(Id), sealedBy: OneOf(SEALED_BY),
  reference: Type.String(),
  clear: ReportClear,
  reporterPublicKey: B64(32),
  envelope: EnvelopeOf(100_000),
  /** Reports v2: the reporter's signing key and the team verify key they bound (§28.3); null on older cases. */
  reporterSigningKey: Nullable(B64(32)),
  teamVerifyKey: Nullable(B64(32)),
  /** The reporter has followed up without JavaScript: the server opened messages for them (§26). */
  serverFollowUp: Type.Boolean(),
  /** The key the report was sealed to, its published verify key, and that key sealed to the caller (null until granted). */
  teamKey: Type.Object({ kid: B64(16), publicKey: B64(32), verifyKey: Nullable(B64(32)), grant: Nullable(B64(80)) }, strict),
}, strict);
export type CaseDetail = Static<typeof CaseDetail>;

export const ChangeStatus = Type.Object({
  status: OneOf(CASE_STATUSES),
  outcome: Type.Optional(OneOf(CLOSE_OUTCOMES)),
  /** Required when reopening a closed case; refused otherwise. */
  reason: Type.Optional(OneOf(REOPEN_REASONS)),
}, strict);
export type ChangeStatus = Static<typeof ChangeStatus>;
export const StatusChanged = Type.Object({ id: Id, status: OneOf(CASE_STATUSES), outcome: Nullable(OneOf(CLOSE_OUTCOMES)) }, strict);

/** An account id, or null to unassign. */
export const Assign = Type.Object({ assigneeId: Nullable(Type.String({ minLength: 1, maxLength: 64 })) }, strict);
export const Assigned = Type.Object({ id: Id, assigneeId: Nullable(Id) }, strict);

/** A message to (2 recipients) or from (3 recipients) the reporter, as the desk reads it. */
export const DeskMessage = Type.Object({
  id: Id, direction: OneOf(MESSAGE_DIRECTIONS), authorId: Nullable(Id), createdAt: Time, envelope: EnvelopeOf(40_000, 2, 3),
  /** 'server' for a reply sealed by the server on arrival (follow-up without JavaScript, §26.3). */
  sealedBy: OneOf(SEALED_BY),
}, strict);
export type DeskMessage = Static<typeof DeskMessage>;

/** An internal note: sealed to the case's team key only. */
export const NoteBody = Type.Object({ envelope: EnvelopeOf(100_000, 1, 1) }, strict);
export const CaseNote = Type.Object({ id: Id, authorId: Id, createdAt: Time, envelope: EnvelopeOf(100_000, 1, 1) }, strict);
export type CaseNote = Static<typeof CaseNote>;

// ——— Teams, keys and routing ———

export const TeamParams = Type.Object({ id: Id }, strict);
export const MemberParams = Type.Object({ id: Id, userId: Id }, strict);

export const CreateTeam = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }), restricted: Type.Boolean(),
  publicKey: B64(32), verifyKey: B64(32, 'Ed25519 verify key derived from the new private key (§28.2)'), creatorGrant: B64(80), recoveryGrant: B64(80),
}, strict);
export type CreateTeam = Static<typeof CreateTeam>;

export const AddMember = Type.Object({ userId: Id }, strict);
export const KeyParams = Type.Object({ id: Id, kid: B64(16) }, strict);
/** Publishing a verify key for a team key made before signatures (§28.6). */
export const PublishVerifyKey = Type.Object({ verifyKey: B64(32), proof: B64(64) }, strict);
export type PublishVerifyKey = Static<typeof PublishVerifyKey>;
export const GrantBody = Type.Object({ userId: Id, sealedPrivateKey: B64(80) }, strict);
export type GrantBody = Static<typeof GrantBody>;

export const RotateKey = Type.Object({
  publicKey: B64(32),
  verifyKey: B64(32, 'Ed25519 verify key derived from the new private key (§28.2)'),
  /** The new private key sealed to each member (userId) and to the recovery key (userId null). */
  grants: Type.Array(Type.Object({ userId: Nullable(Id), sealedPrivateKey: B64(80) }, strict), { minItems: 1, maxItems: 500 }),
}, strict);
export type RotateKey = Static<typeof RotateKey>;
export const KeyRotated = Type.Object({ kid: B64(16) }, strict);

export const TeamView = Type.Object({
  id: Id, name: Type.String(), restricted: Type.Boolean(), isDefault: Type.Boolean(),
  key: Type.Object({ kid: B64(16), publicKey: B64(32), verifyKey: Nullable(B64(32)) }, strict),
  members: Type.Array(Type.Object({ id: Id, email: Type.String(), role: OneOf(ACCOUNT_ROLES), publicKey: B64(32), granted: Type.Boolean() }, strict)),
  /** The team's current key sealed to the caller, or null. */
  myGrant: Nullable(B64(80)),
  retentionDays: Type.Integer(),
  graceDays: Type.Integer(),
}, strict);
export type TeamView = Static<typeof TeamView>;

export const EditRouting = Type.Object({ defaultTeam: Id, rules: Type.Array(RoutingRule, { maxItems: 200 }) }, strict);
export type EditRouting = Static<typeof EditRouting>;
export { RoutingTable };

// ——— Public texts (accounts, invitations and the audit log: protocol/accounts-api.ts) ———

export const LanguageParams = Type.Object({ language: OneOf(LANGUAGE_CODES) }, strict);
export const EditPublicText = Type.Object({ key: Type.String({ maxLength: 40 }), text: Type.String({ maxLength: 2000 }) }, strict);
export const PublicTexts = Type.Object({
  defaults: Type.Record(Type.String(), Type.String()),
  overrides: Type.Record(Type.String(), Type.String()),
}, strict);
export type PublicTexts = Static<typeof PublicTexts>;
