// TypeBox schemas of the admin's account management (PROTOCOL.md §31): the account list,
// invitations and reset links, disabling and re-enabling, and reading and exporting the audit log
// (§32). Same rules as desk-api.ts: requests are closed, responses are serialised through these.
import { Type, type Static } from 'typebox';
import { B64, Email, Id, Nullable, OneOf, Time, strict } from './schema-kit.ts';
import { ACCOUNT_ROLES } from './taxonomy.ts';

export const UserParams = Type.Object({ id: Id }, strict);

export const UserSummary = Type.Object({
  id: Id, email: Type.String(), role: OneOf(ACCOUNT_ROLES), publicKey: B64(32), createdAt: Time,
  /** A second factor is enrolled. */
  enrolled: Type.Boolean(),
  disabled: Type.Boolean(),
  /** A reset link was issued and not used yet: the old password no longer works. */
  resetPending: Type.Boolean(),
  teams: Type.Array(Type.Object({ id: Id, name: Type.String(), granted: Type.Boolean() }, strict)),
}, strict);
export type UserSummary = Static<typeof UserSummary>;

/** The teams whose current key a disabled account held: the desk offers to rotate each. */
export const Disabled = Type.Object({ rotate: Type.Array(Type.Object({ id: Id, name: Type.String() }, strict)) }, strict);
export type Disabled = Static<typeof Disabled>;

export const CreateInvitation = Type.Object({
  email: Type.Optional(Email),
  role: OneOf(ACCOUNT_ROLES),
  teamIds: Type.Array(Id, { maxItems: 20 }),
}, strict);
export type CreateInvitation = Static<typeof CreateInvitation>;
/** A new invitation or reset link: the only time its token is shown. */
export const InvitationCreated = Type.Object({ id: Id, token: Type.String(), expiresAt: Time, path: Type.String() }, strict);
export type InvitationCreated = Static<typeof InvitationCreated>;

export const INVITATION_KINDS = ['invitation', 'reset'] as const;
export const PendingInvitation = Type.Object({
  id: Id, kind: OneOf(INVITATION_KINDS), email: Nullable(Type.String()), role: OneOf(ACCOUNT_ROLES), teamIds: Type.Array(Id),
  userId: Nullable(Id), createdBy: Id, createdAt: Time, expiresAt: Time,
}, strict);
export type PendingInvitation = Static<typeof PendingInvitation>;

const DayParam = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
/** Filters of the audit log: an account, an action (or a prefix ending in "."), a range of days. */
export const AuditFilter = Type.Object({
  actor: Type.Optional(Id),
  action: Type.Optional(Type.String({ pattern: '^[a-z_]+(\\.[a-z_]*)?$', maxLength: 60 })),
  from: Type.Optional(DayParam),
  to: Type.Optional(DayParam),
}, strict);
export type AuditFilter = Static<typeof AuditFilter>;
export const AuditQuery = Type.Object({ ...AuditFilter.properties, before: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })) }, strict);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  seq: Type.Integer(), at: Time, actor: Type.String(), action: Type.String(), subject: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Nullable(Type.Union([Type.String(), Type.Boolean()]))),
  prevHash: Type.String(), hash: Type.String(),
}, strict);
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  /** Readable names of the accounts, teams and cases that appear: email, team name, case reference. */
  names: Type.Record(Type.String(), Type.String()),
}, strict);
export type AuditPage = Static<typeof AuditPage>;
