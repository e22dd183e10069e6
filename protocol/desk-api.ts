// TypeBox schemas of the desk API (caseworkers, admins, analysts). Same rules as protocol/api.ts:
// the server validates with them and refuses unknown properties.
import { Type, type Static } from 'typebox';
import { CASE_STATUSES } from './taxonomy.ts';

const strict = { additionalProperties: false } as const;
const B64 = (bytes: number) => Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: Math.ceil((bytes * 4) / 3), maxLength: Math.ceil((bytes * 4) / 3) });
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' });

export const Prelogin = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, strict);
export const KdfParamsSchema = Type.Object({ salt: Type.String(), opslimit: Type.Integer(), memlimit: Type.Integer() });

export const Login = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  authKey: B64(32),
  totp: Type.Optional(Type.String({ maxLength: 12 })),
}, strict);
export type Login = Static<typeof Login>;

export const TotpCode = Type.Object({ code: Type.String({ maxLength: 12 }) }, strict);

export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  publicKey: Type.String(),
  wrappedPrivateKey: Type.String(),
  csrfToken: Type.String(),
  teams: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), restricted: Type.Boolean() })),
});

export const LoginResult = Type.Union([
  Type.Object({ next: Type.Literal('done'), me: Me }),
  Type.Object({ next: Type.Literal('enrol_totp'), totpSecret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String(), csrfToken: Type.String() }),
]);

export const CLOSE_OUTCOMES = ['resolved', 'referred_out', 'out_of_scope', 'withdrawn'] as const;

export const ChangeStatus = Type.Object({
  status: Type.Unsafe<string>({ type: 'string', enum: [...CASE_STATUSES] }),
  outcome: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...CLOSE_OUTCOMES] })),
}, strict);

export const Assign = Type.Object({ assigneeId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]) }, strict);

export const QueueQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 20 })),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  country: Type.Optional(Type.String({ maxLength: 7 })),
  language: Type.Optional(Type.String({ maxLength: 3 })),
  urgent: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  assignee: Type.Optional(Type.String({ maxLength: 64 })),
  overdue: Type.Optional(Type.Literal('true')),
  sort: Type.Optional(Type.Union([Type.Literal('deadline'), Type.Literal('received')])),
  page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' })),
}, strict);
export type QueueQuery = Static<typeof QueueQuery>;

/** A body carrying one envelope v1 with a bounded ciphertext and recipient count. */
const EnvelopeBody = (maxCiphertext: number, minRecipients: number, maxRecipients: number) => Type.Object({
  envelope: Type.Object({
    v: Type.Literal(1),
    nonce: B64(24),
    ciphertext: Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: maxCiphertext }),
    recipients: Type.Array(Type.Object({ kid: B64(16), sealedKey: B64(80) }, strict), { minItems: minRecipients, maxItems: maxRecipients }),
  }, strict),
}, strict);

/** An internal note: sealed to the case's team key only. */
export const NoteBody = EnvelopeBody(100_000, 1, 1);

/** A message to (2 recipients) or from (3 recipients) the reporter (PROTOCOL.md, messages). */
export const MessageBody = EnvelopeBody(40_000, 2, 3);

export const CreateInvitation = Type.Object({
  email: Type.Optional(Email),
  role: Type.Unsafe<'admin' | 'caseworker' | 'analyst'>({ type: 'string', enum: ['admin', 'caseworker', 'analyst'] }),
  teamIds: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
}, strict);

export const AcceptInvitation = Type.Object({
  token: Type.String({ minLength: 20, maxLength: 100 }),
  email: Email,
  kdf: Type.Object({ salt: B64(16), opslimit: Type.Integer({ minimum: 2, maximum: 10 }), memlimit: Type.Integer({ minimum: 16 * 1024 * 1024, maximum: 1024 * 1024 * 1024 }) }, strict),
  authKey: B64(32),
  publicKey: B64(32),
  wrappedPrivateKey: Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 20, maxLength: 200 }),
}, strict);
export type AcceptInvitation = Static<typeof AcceptInvitation>;

export const GrantBody = Type.Object({ userId: Type.String({ maxLength: 64 }), sealedPrivateKey: B64(80) }, strict);
