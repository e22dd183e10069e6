// TypeBox schemas of every public request and response (the form, intake, follow-up, setup and
// invitation links) and of the pages' boot payloads. The server validates requests with them
// (unknown properties are refused) and serialises responses through them (unknown properties
// are dropped); the OpenAPI document is generated from them; the client uses their static types.
import { Type, type Static } from 'typebox';
import {
  ACCOUNT_ROLES, CASE_STATUSES, CLOSE_OUTCOMES, CONTACT_METHODS, COUNTRIES, HARM_CATEGORY_IDS, INCIDENT_MONTH_PATTERN,
  LANGUAGE_CODES, MESSAGE_DIRECTIONS, PATHWAY_KINDS, REFERRAL_OUTCOMES, REPORTER_ROLES, SYSTEM_TYPES, TAXONOMY_VERSION,
} from './taxonomy.ts';
import { LIMITS } from './limits.ts';
import { PASSWORD_KDF_MAX, PASSWORD_KDF_MIN } from './kdf-policy.ts';
import { RoutingTable } from './routing.ts';
import { B64, B64Text, Day, Email, Id, Nullable, OneOf, strict } from './schema-kit.ts';
import { AttachmentIds, AttachmentLimits, EvidenceBoot, type AttachmentRef } from './evidence-api.ts';

export { LIMITS };

/** The fields that travel in clear, bound into the envelope's associated data. */
export const ReportClear = Type.Object({
  taxonomy: Type.Literal(TAXONOMY_VERSION),
  category: OneOf(HARM_CATEGORY_IDS, 'Harm category (taxonomy v1)'),
  systemType: OneOf(SYSTEM_TYPES),
  country: OneOf([...COUNTRIES, 'unknown'], 'ISO 3166-1 alpha-2, or unknown'),
  language: OneOf(LANGUAGE_CODES, 'The language the reporter used'),
  role: OneOf(REPORTER_ROLES),
  incidentMonth: Type.String({ pattern: INCIDENT_MONTH_PATTERN }),
  urgent: Type.Boolean({ description: 'Triage within 24 h. Must be true for urgent categories and when a child is affected.' }),
  child: Type.Boolean({ description: 'A child is affected: routes to a restricted team.' }),
  consentReferral: Type.Boolean(),
  consentShareData: Type.Boolean(),
}, strict);
export type ReportClear = Static<typeof ReportClear>;

/** Envelope v1 (PROTOCOL.md §3, only stored) or v2 (§27), with a bounded ciphertext and recipient count. */
export const EnvelopeOf = (maxCiphertext: number, minRecipients = 1, maxRecipients = 4) => Type.Object({
  v: Type.Union([Type.Literal(1), Type.Literal(2)]),
  nonce: B64(24, 'XChaCha20 nonce'),
  ciphertext: B64Text(maxCiphertext),
  commitment: Type.Optional(B64(32, 'v2: BLAKE2b-256 commitment to the content key')),
  recipients: Type.Array(Type.Object({
    kid: B64(16, 'BLAKE2b-128 of the recipient public key'),
    sealedKey: B64(80, 'crypto_box_seal of the content key'),
  }, strict), { minItems: minRecipients, maxItems: maxRecipients }),
  signature: Type.Optional(B64(64, "v2 messages: the sender's Ed25519 signature")),
}, strict);
export const EnvelopeSchema = EnvelopeOf(LIMITS.maxCiphertextChars);

export const SubmitReport = Type.Object({
  clear: ReportClear,
  envelope: EnvelopeSchema,
  reporter: Type.Object({
    authToken: B64(32, 'Derived from the receipt; the server stores only its hash'),
    publicKey: B64(32, "The reporter's X25519 public key, derived from the receipt"),
    // Required from reports v2 on; optional here only so an out-of-date page gets outdated_page.
    signingKey: Type.Optional(B64(32, "The reporter's Ed25519 verify key, derived from the receipt (§28.1)")),
    teamVerifyKey: Type.Optional(Nullable(B64(32, "The team's verify key as published when sealed and bound (§28.3)"))),
    pin: Type.Optional(B64(32, 'MAC under a receipt-derived key over the keys sealed to (§28.4)')),
  }, strict),
  attachments: Type.Optional(AttachmentIds),
}, strict);
export type SubmitReport = Static<typeof SubmitReport>;

export const ReportAccepted = Type.Object({
  status: Type.Literal('received'),
  receivedOn: Day,
}, strict);
export type ReportAccepted = Static<typeof ReportAccepted>;

/** What sits inside a report envelope. Never seen by the server in a browser-sealed report. */
export interface ReportContent {
  narrative: string;
  place: string;
  date: string;
  /** Optional (empty when not given); absent in reports sealed before it was asked. */
  name?: string;
  contact: { method: (typeof CONTACT_METHODS)[number]; value: string };
  imminentRisk: boolean;
  /** Files uploaded on their own (PROTOCOL.md §23), with their keys. Optional: absent means none. */
  attachments?: AttachmentRef[];
}

export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'Stable, machine-readable' }),
  message: Type.String({ description: "Readable, in the request's language where public" }),
  field: Type.Optional(Type.String()),
}, strict);
export type ApiError = Static<typeof ApiError>;

const PublishedKey = Type.Object({ publicKey: B64(32), kid: B64(16) }, strict);
export type PublishedKey = Static<typeof PublishedKey>;

export const Intake = Type.Object({
  taxonomyVersion: Type.Literal(TAXONOMY_VERSION),
  languages: Type.Array(Type.Object({
    code: OneOf(LANGUAGE_CODES), nativeName: Type.String(), englishName: Type.String(), dir: OneOf(['ltr', 'rtl'] as const),
    digits: Type.Optional(OneOf(['arab', 'arabext', 'beng', 'mymr'] as const)),
  }, strict)),
  categories: Type.Array(Type.Object({
    id: OneOf(HARM_CATEGORY_IDS), urgent: Type.Boolean(), sensitive: Type.Boolean(), aiActAnnexIII: Nullable(Type.String()),
  }, strict)),
  systemTypes: Type.Array(OneOf(SYSTEM_TYPES)),
  roles: Type.Array(OneOf(REPORTER_ROLES)),
  contactMethods: Type.Array(OneOf(CONTACT_METHODS)),
  countries: Type.Array(Type.String()),
  routing: RoutingTable,
  recovery: PublishedKey,
  receiptSalt: B64(16),
  receiptKdf: Type.Object({ algorithm: Type.Literal('argon2id13'), opslimit: Type.Integer(), memlimit: Type.Integer() }, strict),
  limits: Type.Object({
    maxReportBodyBytes: Type.Integer(), maxCiphertextChars: Type.Integer(), maxNarrativeChars: Type.Integer(),
    maxContactChars: Type.Integer(), maxPlaceChars: Type.Integer(),
  }, strict),
  /** Filled by GET /api/intake (PROTOCOL.md §24.6, §25.1); absent where only keys are needed. */
  attachments: Type.Optional(AttachmentLimits),
  outboxKey: Type.Optional(B64(32)),
}, strict);
export type Intake = Static<typeof Intake>;

export const Health = Type.Object({ status: Type.Literal('ok'), open: Type.Boolean() }, strict);

// ——— Follow-up by receipt (PROTOCOL.md, follow-up) ———

/** A message as stored: sealed in the sender's browser, in the order written. */
export const MessageEnvelope = EnvelopeOf(40_000, 2, 3);
export const MessageBody = Type.Object({ envelope: MessageEnvelope, attachments: Type.Optional(AttachmentIds) }, strict);
export type MessageBody = Static<typeof MessageBody>;

export const FollowUpOpen = Type.Object({ authToken: B64(32) }, strict);

export const ReporterView = Type.Object({
  caseId: Id,
  status: OneOf(CASE_STATUSES),
  outcome: Nullable(OneOf(CLOSE_OUTCOMES)),
  language: OneOf(LANGUAGE_CODES),
  receivedOn: Day,
  timeline: Type.Array(Type.Object({ on: Day, status: OneOf(CASE_STATUSES), outcome: Nullable(OneOf(CLOSE_OUTCOMES)) }, strict)),
  /** Admin-edited texts in the case's language, by key (status.<status>, template.acknowledge). */
  texts: Type.Record(Type.String(), Type.String()),
  messages: Type.Array(Type.Object({ id: Id, direction: OneOf(MESSAGE_DIRECTIONS), createdAt: Day, envelope: MessageEnvelope }, strict)),
  /** The keys to seal replies to; with the pin, the phone checks they are the ones it sealed the report to (§28.4). */
  replyTo: Type.Object({
    team: Type.Object({ publicKey: B64(32), kid: B64(16), verifyKey: Nullable(B64(32)) }, strict),
    recovery: PublishedKey,
  }, strict),
  /** The pin stored with the report; null for a case reported before signatures (§29.4). */
  pin: Nullable(B64(32)),
  /** The case's reference, to quote on the phone or in a letter. */
  reference: Type.String(),
  /** Whether the reporter may write now, and for a closed case the last day they may. */
  canReply: Type.Boolean(),
  repliesOpenUntil: Nullable(Day),
  /** Where the case went: the body (its name as it writes it), its kind, and what came of it. */
  referrals: Type.Array(Type.Object({
    body: Type.String(), kind: OneOf(PATHWAY_KINDS), sentOn: Day, outcome: Nullable(OneOf(REFERRAL_OUTCOMES)), outcomeOn: Nullable(Day),
  }, strict)),
}, strict);
export type ReporterView = Static<typeof ReporterView>;

export const FollowUpOpened = Type.Object({ token: B64Text(100), case: ReporterView }, strict);
export type FollowUpOpened = Static<typeof FollowUpOpened>;

// ——— First-run setup and invitation links (public: the token is the credential) ———

/** Argon2id parameters of a new account: within the policy every browser enforces (§30). */
const KdfLimits = {
  opslimit: Type.Integer({ minimum: PASSWORD_KDF_MIN.opslimit, maximum: PASSWORD_KDF_MAX.opslimit }),
  memlimit: Type.Integer({ minimum: PASSWORD_KDF_MIN.memlimit, maximum: PASSWORD_KDF_MAX.memlimit }),
};
const KdfRequest = Type.Object({ salt: B64(16), ...KdfLimits }, strict);

/** Lengths are checked by the server after the shape (services/setup.ts), each with its own field name. */
const SetupB64 = B64Text(200);
const SetupKdf = Type.Object({ salt: SetupB64, ...KdfLimits }, strict);
export const SetupRequest = Type.Object({
  token: Type.String({ maxLength: 100 }),
  bundle: Type.Object({
    organisationName: Type.String({ minLength: 1, maxLength: 200 }),
    receiptSalt: SetupB64,
    recovery: Type.Object({ publicKey: SetupB64 }, strict),
    admin: Type.Object({
      email: Type.String({ maxLength: 254 }), kdf: SetupKdf, authKey: SetupB64, publicKey: SetupB64, wrappedPrivateKey: SetupB64,
    }, strict),
    team: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), publicKey: SetupB64, verifyKey: SetupB64, adminGrant: SetupB64, recoveryGrant: SetupB64 }, strict),
  }, strict),
}, strict);
export type SetupRequest = Static<typeof SetupRequest>;
export const SetupState = Type.Object({ open: Type.Boolean() }, strict);
export const SetupDone = Type.Object({ ok: Type.Literal(true) }, strict);

export const InvitationToken = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) }, strict);
/** kind: an invitation to a new account, or a reset link for an existing one (§31.4). */
export const InvitationInfo = Type.Object({
  kind: OneOf(['invitation', 'reset'] as const), email: Nullable(Type.String()), role: OneOf(ACCOUNT_ROLES), expiresAt: Type.String(),
}, strict);
export type InvitationInfo = Static<typeof InvitationInfo>;

export const AcceptInvitation = Type.Object({
  token: Type.String({ minLength: 20, maxLength: 100 }),
  email: Email,
  kdf: KdfRequest,
  authKey: B64(32),
  publicKey: B64(32),
  wrappedPrivateKey: Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 20, maxLength: 200 }),
}, strict);
export type AcceptInvitation = Static<typeof AcceptInvitation>;
export const InvitationAccepted = Type.Object({ userId: Id }, strict);

// ——— What the server hands the pages' scripts (inline JSON, not executed) ———

const Resources = Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()));

/** The public form's and the follow-up page's boot data. */
export const ReportBoot = Type.Object({
  page: Type.Optional(Type.Literal('follow-up')),
  lang: OneOf(LANGUAGE_CODES),
  resources: Resources,
  intake: Type.Object({ routing: RoutingTable, recovery: PublishedKey, receiptSalt: B64(16) }, strict),
  quickExitUrl: Type.String(),
  localeUrls: Type.Record(Type.String(), Type.String()),
  evidence: Type.Optional(EvidenceBoot),
}, strict);
export type ReportBoot = Static<typeof ReportBoot>;

/** The desk's boot data. */
export const DeskBoot = Type.Object({
  lang: OneOf(LANGUAGE_CODES),
  resources: Resources,
  localeUrls: Type.Record(Type.String(), Type.String()),
  languages: Type.Array(Type.Object({ code: OneOf(LANGUAGE_CODES), nativeName: Type.String() }, strict)),
}, strict);
export type DeskBoot = Static<typeof DeskBoot>;
