// drizzle tables. What is here is what the server knows: coarse clear fields, ciphertext, public
// keys and hashes. No IP address, no precise submission time, no plaintext of a report.
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Envelope } from '../protocol/envelope.ts';
import type { QuarterAggregate } from './stat-aggregate.ts';
import {
  ACCOUNT_ROLES, CASE_STATUSES, CLOSE_OUTCOMES, DEPLOYER_CLASSES, HARM_CATEGORY_IDS, LANGUAGE_CODES, MESSAGE_DIRECTIONS,
  NOTICE_KINDS, NOTIFY_MODES, DEADLINE_KINDS, PATHWAY_KINDS, REFERRAL_OUTCOMES, REPORTER_ROLES, SEALED_BY, SESSION_STAGES,
  SYSTEM_TYPES, TAXONOMY_VERSION, type HarmCategoryId, type LanguageCode,
} from '../protocol/taxonomy.ts';

/** Column types come from protocol/taxonomy.ts, so a stored value is typed as the contract says. */
const envelopeColumn = (name: string) => text(name, { mode: 'json' }).$type<Envelope>();
const idList = <T extends string = string>(name: string) => text(name, { mode: 'json' }).$type<T[]>();

/** One row: the organisation running this instance. */
export const organisation = sqliteTable('organisation', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  recoveryPublicKey: text('recovery_public_key').notNull(),
  recoveryKid: text('recovery_kid').notNull(),
  /** 16 random bytes (base64url) salting every receipt's Argon2id. */
  receiptSalt: text('receipt_salt').notNull(),
  createdAt: text('created_at').notNull(),
  /** Whether /accountability publishes the register and the statistics (off until an admin turns it on). */
  accountabilityPage: integer('accountability_page', { mode: 'boolean' }).notNull().default(false),
});

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  role: text('role', { enum: ACCOUNT_ROLES }).notNull(),
  kdfSalt: text('kdf_salt').notNull(),
  kdfOpslimit: integer('kdf_opslimit').notNull(),
  kdfMemlimit: integer('kdf_memlimit').notNull(),
  /** BLAKE2b-256 of the password-derived auth key. */
  authHash: text('auth_hash').notNull(),
  publicKey: text('public_key').notNull(),
  /** The account's X25519 private key, wrapped with the password-derived wrap key. */
  wrappedPrivateKey: text('wrapped_private_key').notNull(),
  totpSecret: text('totp_secret'),
  createdAt: text('created_at').notNull(),
  disabledAt: text('disabled_at'),
  /** Notification mails: one per event, or one digest a day (urgent cases always at once). */
  notify: text('notify', { enum: NOTIFY_MODES }).notNull().default('each'),
  /** The language of those mails (the desk's language when the account chose it). */
  notifyLanguage: text('notify_language', { enum: LANGUAGE_CODES }).notNull().default('en'),
}, (t) => [uniqueIndex('users_email_unique').on(t.email)]);

export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
  /** Closed cases are purged this many days after closing (content gone, coded fields kept). */
  retentionDays: integer('retention_days').notNull().default(365),
  /** The reporter may still write this many days after a case is closed. */
  graceDays: integer('grace_days').notNull().default(30),
});

/** A team's keypairs over time; exactly one is unretired at a time, and it receives new cases. */
export const teamKeys = sqliteTable('team_keys', {
  id: text('id').primaryKey(),
  teamId: text('team_id').notNull().references(() => teams.id),
  publicKey: text('public_key').notNull(),
  kid: text('kid').notNull(),
  /** Ed25519 verify key derived from this key's private key (PROTOCOL.md §28.2); null until published. */
  verifyKey: text('verify_key'),
  createdAt: text('created_at').notNull(),
  retiredAt: text('retired_at'),
}, (t) => [uniqueIndex('team_keys_kid_unique').on(t.kid), index('team_keys_team_idx').on(t.teamId)]);

export const teamMembers = sqliteTable('team_members', {
  teamId: text('team_id').notNull().references(() => teams.id),
  userId: text('user_id').notNull().references(() => users.id),
  addedAt: text('added_at').notNull(),
}, (t) => [uniqueIndex('team_members_pk').on(t.teamId, t.userId)]);

/** A team private key sealed to a member's public key (userId) or to the recovery key (userId null). */
export const grants = sqliteTable('grants', {
  id: text('id').primaryKey(),
  teamKeyId: text('team_key_id').notNull().references(() => teamKeys.id),
  userId: text('user_id').references(() => users.id),
  sealedPrivateKey: text('sealed_private_key').notNull(),
  grantedBy: text('granted_by'),
  createdAt: text('created_at').notNull(),
}, (t) => [index('grants_team_key_idx').on(t.teamKeyId), index('grants_user_idx').on(t.userId)]);

export const cases = sqliteTable('cases', {
  id: text('id').primaryKey(),
  teamId: text('team_id').notNull().references(() => teams.id),
  teamKeyId: text('team_key_id').notNull().references(() => teamKeys.id),
  status: text('status', { enum: CASE_STATUSES }).notNull(),
  taxonomy: text('taxonomy', { enum: [TAXONOMY_VERSION] }).notNull(),
  category: text('category', { enum: HARM_CATEGORY_IDS }).notNull(),
  systemType: text('system_type', { enum: SYSTEM_TYPES }).notNull(),
  /** ISO 3166-1 alpha-2, or 'unknown'. */
  country: text('country').notNull(),
  language: text('language', { enum: LANGUAGE_CODES }).notNull(),
  role: text('role', { enum: REPORTER_ROLES }).notNull(),
  incidentMonth: text('incident_month').notNull(),
  urgent: integer('urgent', { mode: 'boolean' }).notNull(),
  child: integer('child', { mode: 'boolean' }).notNull(),
  consentReferral: integer('consent_referral', { mode: 'boolean' }).notNull(),
  consentShareData: integer('consent_share_data', { mode: 'boolean' }).notNull(),
  /** Coarsened to the day on purpose (DESIGN.md principle 2). */
  receivedOn: text('received_on').notNull(),
  sealedBy: text('sealed_by', { enum: SEALED_BY }).notNull(),
  /** Envelope v1 as JSON text. */
  envelope: envelopeColumn('envelope').notNull(),
  receiptAuthHash: text('receipt_auth_hash').notNull(),
  reporterPublicKey: text('reporter_public_key').notNull(),
  /** Reports v2 (PROTOCOL.md §28): the reporter's Ed25519 key, the team verify key they bound, their pin. Null on older cases. */
  reporterSigningKey: text('reporter_signing_key'),
  teamVerifyKey: text('team_verify_key'),
  reporterPin: text('reporter_pin'),
  triageDue: text('triage_due').notNull(),
  acknowledgeDue: text('acknowledge_due').notNull(),
  assigneeId: text('assignee_id').references(() => users.id),
  /** Set when closed: resolved, referred_out, out_of_scope or withdrawn. */
  outcome: text('outcome', { enum: CLOSE_OUTCOMES }),
  updatedAt: text('updated_at'),
  /** A short reference to quote on the phone or in a letter (RDX-XXXX-XX), random, not ordered. */
  reference: text('reference'),
  /** Case coding after reading (null until coded): what statistics count instead of the reporter's fields. */
  codedCategory: text('coded_category', { enum: HARM_CATEGORY_IDS }),
  codedSystemType: text('coded_system_type', { enum: SYSTEM_TYPES }),
  deployerClass: text('deployer_class', { enum: DEPLOYER_CLASSES }),
  /** The register entry (deployments.id) of the system behind the harm, when known. */
  deploymentId: text('deployment_id'),
  /** The next status update to the reporter is due (30 days after the last one), and the hard limit (90 days). */
  updateDue: text('update_due'),
  silenceDue: text('silence_due'),
  /** The day the case was closed: starts the reply grace period and the retention period. */
  closedOn: text('closed_on'),
  /** Reporter messages no team member has read yet. */
  unread: integer('unread').notNull().default(0),
  purgedOn: text('purged_on'),
  /** The reporter followed up without JavaScript: the server opened messages for them (PROTOCOL.md §26). */
  serverFollowUp: integer('server_follow_up', { mode: 'boolean' }).notNull().default(false),
}, (t) => [
  uniqueIndex('cases_reference_unique').on(t.reference),
  uniqueIndex('cases_receipt_unique').on(t.receiptAuthHash),
  // The queue's filters and orders, each led by the team (every query is limited to my teams).
  index('cases_team_status_idx').on(t.teamId, t.status, t.triageDue),
  index('cases_team_status_ack_idx').on(t.teamId, t.status, t.acknowledgeDue),
  index('cases_team_due_idx').on(t.teamId, t.triageDue),
  index('cases_team_received_idx').on(t.teamId, t.receivedOn),
  index('cases_team_category_idx').on(t.teamId, t.category, t.country),
  index('cases_team_country_idx').on(t.teamId, t.country),
  index('cases_team_language_idx').on(t.teamId, t.language),
  index('cases_team_assignee_idx').on(t.teamId, t.assigneeId),
  index('cases_team_urgent_idx').on(t.teamId, t.urgent, t.status),
  // Statistics read every field they count from this index alone, in case id order, merged with
  // the case's events and referrals read in the same order (server/stats/aggregate.ts).
  index('cases_stats_idx').on(t.id, t.receivedOn, t.country, t.category, t.codedCategory, t.systemType, t.codedSystemType, t.deployerClass, t.child, t.deploymentId,
    t.status, t.closedOn, t.outcome),
  index('cases_team_update_idx').on(t.teamId, t.status, t.updateDue),
  index('cases_status_closed_idx').on(t.status, t.closedOn),
  index('cases_team_unread_idx').on(t.teamId, t.unread),
]);

/** Hash-chained, append-only: hash = SHA-256(prevHash ‖ "\n" ‖ canonical entry); PROTOCOL.md §10. */
export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey(),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject'),
  detail: text('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** Desk sessions. The cookie carries a random id; only its SHA-256 is stored. */
export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  /** 'totp_enrol' until the account has a second factor, then 'full'. */
  stage: text('stage', { enum: SESSION_STAGES }).notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: text('created_at').notNull(),
  // The last use is kept in memory (app.state.sessionActivity), not here: a stored time per desk
  // request would bracket every submission in the data folder (PROTOCOL.md §35).
  expiresAt: text('expires_at').notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

/** Second factor state per account: the last accepted TOTP time step blocks replays. */
export const totpState = sqliteTable('totp_state', {
  userId: text('user_id').primaryKey().references(() => users.id),
  pendingSecret: text('pending_secret'),
  lastStep: integer('last_step').notNull().default(0),
});

/** Server-side secrets that must survive restarts (the fake-salt key for unknown accounts). */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});

/** Caseworker notes on a case, sealed to the case's team key (envelope label redress/note/v1). */
export const caseNotes = sqliteTable('case_notes', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  authorId: text('author_id').notNull().references(() => users.id),
  createdAt: text('created_at').notNull(),
  envelope: envelopeColumn('envelope').notNull(),
}, (t) => [index('case_notes_case_idx').on(t.caseId)]);

/** One-time invitations to the desk; only the token's hash is stored. */
export const invitations = sqliteTable('invitations', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  email: text('email'),
  role: text('role', { enum: ACCOUNT_ROLES }).notNull(),
  /** JSON array of team ids the invitee joins. */
  teamIds: idList('team_ids').notNull(),
  createdBy: text('created_by').notNull().references(() => users.id),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
  /** A reset link for this existing account (PROTOCOL.md §31.4); null for an invitation. */
  userId: text('user_id').references(() => users.id),
  revokedAt: text('revoked_at'),
}, (t) => [uniqueIndex('invitations_token_unique').on(t.tokenHash)]);

/** Routing rules in order; the first that matches a report picks its team (protocol/routing.ts). */
export const routingRules = sqliteTable('routing_rules', {
  position: integer('position').primaryKey(),
  teamId: text('team_id').notNull().references(() => teams.id),
  /** JSON arrays; empty means "any". */
  categories: idList<HarmCategoryId>('categories').notNull().default([]),
  countries: idList('countries').notNull().default([]),
  languages: idList<LanguageCode>('languages').notNull().default([]),
  /** null: either; true/false: only urgent / only non-urgent reports. */
  urgent: integer('urgent', { mode: 'boolean' }),
});

/** What the reporter sees as their case's timeline: each status change, with its day. */
export const caseEvents = sqliteTable('case_events', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  /** Day only: the reporter's timeline needs no more, and a shared phone shows no more. */
  on: text('on').notNull(),
  status: text('status', { enum: CASE_STATUSES }).notNull(),
  outcome: text('outcome', { enum: CLOSE_OUTCOMES }),
}, (t) => [
  index('case_events_case_idx').on(t.caseId),
  // Statistics read acknowledgements from this index alone, in case id order.
  index('case_events_stats_idx').on(t.caseId, t.status, t.on),
]);

/** Messages between the caseworker and the reporter, sealed in the sender's browser. */
export const caseMessages = sqliteTable('case_messages', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  direction: text('direction', { enum: MESSAGE_DIRECTIONS }).notNull(),
  authorId: text('author_id').references(() => users.id),
  /** Day only for the reporter's messages (like receivedOn); full time for caseworkers'. */
  createdAt: text('created_at').notNull(),
  envelope: envelopeColumn('envelope').notNull(),
  /** 'server' when sealed by the server on arrival (a reply without JavaScript, PROTOCOL.md §26.3). */
  sealedBy: text('sealed_by', { enum: SEALED_BY }).notNull().default('browser'),
}, (t) => [index('case_messages_case_idx').on(t.caseId)]);

/**
 * Encrypted files uploaded with tus (PROTOCOL.md §24), stored as DATA_DIR/attachments/<id>. No
 * time is stored: the file's modification time says when its last byte came (for cleanup), and
 * is set to the day of the report once linked. Unlinked rows are removed after a while.
 */
export const uploads = sqliteTable('uploads', {
  /** 16 random bytes, base64url, drawn by the uploader. */
  id: text('id').primaryKey(),
  /** Declared size of the encrypted file (Upload-Length). */
  length: integer('length').notNull(),
  complete: integer('complete', { mode: 'boolean' }).notNull().default(false),
  caseId: text('case_id').references(() => cases.id),
  /** Set for a message's files (caseId is then the message's case). */
  messageId: text('message_id').references(() => caseMessages.id),
}, (t) => [index('uploads_case_idx').on(t.caseId), index('uploads_message_idx').on(t.messageId)]);

/** Texts admins edit per language: status explanations and message templates for reporters. */
export const publicTexts = sqliteTable('public_texts', {
  language: text('language', { enum: LANGUAGE_CODES }).notNull(),
  key: text('key').notNull(),
  text: text('text').notNull(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [uniqueIndex('public_texts_pk').on(t.language, t.key)]);

/** The remedy-pathway directory: bodies that can act on a complaint (seeded from db/seed/pathways.json). */
export const pathways = sqliteTable('pathways', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: PATHWAY_KINDS }).notNull(),
  /** The whole entry as in the data file (who may complain, deadline, languages, how, sources…). */
  entry: text('entry', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
  /** Retired entries stay for old referrals but take no new ones. */
  retiredAt: text('retired_at'),
  updatedAt: text('updated_at').notNull(),
});

/** A case sent to a body: when, under which reference, when to chase, and what came of it. */
export const referrals = sqliteTable('referrals', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  pathwayId: text('pathway_id').notNull().references(() => pathways.id),
  sentOn: text('sent_on').notNull(),
  bodyReference: text('body_reference'),
  followUpOn: text('follow_up_on'),
  outcome: text('outcome', { enum: REFERRAL_OUTCOMES }),
  outcomeOn: text('outcome_on'),
  /** Whether personal data went with it (needs the reporter's second consent). */
  sharedPersonalData: integer('shared_personal_data', { mode: 'boolean' }).notNull(),
  createdBy: text('created_by').notNull().references(() => users.id),
  createdAt: text('created_at').notNull(),
}, (t) => [
  index('referrals_case_idx').on(t.caseId), index('referrals_pathway_idx').on(t.pathwayId),
  // Statistics read referrals from this index alone, in case id order.
  index('referrals_stats_idx').on(t.caseId, t.pathwayId, t.sentOn, t.outcome, t.outcomeOn),
]);

/** The register of AI deployments behind harms (seeded from db/seed/deployments.json). */
export const deployments = sqliteTable('deployments', {
  id: text('id').primaryKey(),
  systemName: text('system_name').notNull(),
  systemType: text('system_type', { enum: SYSTEM_TYPES }).notNull(),
  deployerClass: text('deployer_class', { enum: DEPLOYER_CLASSES }).notNull(),
  /** The whole entry as in the data file (purpose, legal basis, oversight, error rates, sources…). */
  entry: text('entry', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One quarter's statistics, frozen at its first publication after its embargo (docs/STATISTICS.md §3):
 * later coding, a late or deleted case cannot change what was published, so two publications
 * cannot be differenced.
 */
export const statReleases = sqliteTable('stat_releases', {
  /** YYYY-Qn. */
  quarter: text('quarter').primaryKey(),
  frozenOn: text('frozen_on').notNull(),
  aggregate: text('aggregate', { mode: 'json' }).notNull().$type<QuarterAggregate>(),
});

/**
 * The mail outbox: content-free notices waiting to be sent, retried with backoff. No case id and
 * no creation time: a row says only "tell this account to look at its queue", and goes once sent.
 */
export const notifications = sqliteTable('notifications', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  kind: text('kind', { enum: NOTICE_KINDS }).notNull(),
  /** When to try (next): now, the next digest hour, or later after a failure. */
  dueAt: text('due_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  /** The last failure's error code (ECONNREFUSED, ETIMEDOUT, a 5xx reply code), never a message. */
  lastError: text('last_error'),
}, (t) => [uniqueIndex('notifications_pending_unique').on(t.userId, t.kind), index('notifications_due_idx').on(t.dueAt)]);

/** Deadlines already announced (due tomorrow, overdue), so each is announced once. */
export const deadlineNotices = sqliteTable('deadline_notices', {
  caseId: text('case_id').notNull().references(() => cases.id),
  kind: text('kind', { enum: DEADLINE_KINDS }).notNull(),
  /** The due time announced, and whether as due soon or as overdue. */
  due: text('due').notNull(),
  stage: text('stage', { enum: ['due_soon', 'overdue'] }).notNull(),
}, (t) => [uniqueIndex('deadline_notices_unique').on(t.caseId, t.kind, t.due, t.stage)]);
