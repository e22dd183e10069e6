// TypeBox schemas of every public request and response. The server validates with them (unknown
// properties are refused), the OpenAPI document is generated from them, and the client uses
// their static types.
import { Type, type Static } from 'typebox';
import {
  COUNTRIES, HARM_CATEGORY_IDS, INCIDENT_MONTH_PATTERN, LANGUAGE_CODES, REPORTER_ROLES, SYSTEM_TYPES,
  TAXONOMY_VERSION, CONTACT_METHODS,
} from './taxonomy.ts';
import { LIMITS } from './limits.ts';

export { LIMITS };

const B64 = (bytes: number, description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: Math.ceil((bytes * 4) / 3), maxLength: Math.ceil((bytes * 4) / 3), description });
const strict = { additionalProperties: false } as const;
/** A string from a fixed list; `enum` keeps Ajv's error short and the OpenAPI document readable. */
const OneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description });


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

export const EnvelopeSchema = Type.Object({
  v: Type.Literal(1),
  nonce: B64(24, 'XChaCha20 nonce'),
  ciphertext: Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: LIMITS.maxCiphertextChars }),
  recipients: Type.Array(Type.Object({
    kid: B64(16, 'BLAKE2b-128 of the recipient public key'),
    sealedKey: B64(80, 'crypto_box_seal of the content key'),
  }, strict), { minItems: 1, maxItems: 4 }),
}, strict);

export const SubmitReport = Type.Object({
  clear: ReportClear,
  envelope: EnvelopeSchema,
  reporter: Type.Object({
    authToken: B64(32, 'Derived from the receipt; the server stores only its hash'),
    publicKey: B64(32, "The reporter's X25519 public key, derived from the receipt"),
  }, strict),
}, strict);
export type SubmitReport = Static<typeof SubmitReport>;

export const ReportAccepted = Type.Object({
  status: Type.Literal('received'),
  receivedOn: Type.String({ description: 'The day the report was stored (UTC), YYYY-MM-DD' }),
});
export type ReportAccepted = Static<typeof ReportAccepted>;

/** What sits inside a report envelope. Never seen by the server in a browser-sealed report. */
export interface ReportContent {
  narrative: string;
  place: string;
  date: string;
  contact: { method: (typeof CONTACT_METHODS)[number]; value: string };
  imminentRisk: boolean;
}

export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'Stable, machine-readable' }),
  message: Type.String({ description: "Readable, in the request's language where public" }),
  field: Type.Optional(Type.String()),
});
export type ApiError = Static<typeof ApiError>;

const Team = Type.Object({
  id: Type.String(), publicKey: Type.String(), kid: Type.String(), restricted: Type.Boolean(),
});

export const Intake = Type.Object({
  taxonomyVersion: Type.String(),
  languages: Type.Array(Type.Object({ code: Type.String(), nativeName: Type.String(), dir: Type.String() })),
  categories: Type.Array(Type.Object({
    id: Type.String(), urgent: Type.Boolean(), sensitive: Type.Boolean(), aiActAnnexIII: Type.Union([Type.String(), Type.Null()]),
  })),
  systemTypes: Type.Array(Type.String()),
  roles: Type.Array(Type.String()),
  contactMethods: Type.Array(Type.String()),
  countries: Type.Array(Type.String()),
  routing: Type.Object({
    rules: Type.Array(Type.Object({
      team: Type.String(),
      categories: Type.Optional(Type.Array(Type.String())),
      countries: Type.Optional(Type.Array(Type.String())),
      languages: Type.Optional(Type.Array(Type.String())),
      urgent: Type.Optional(Type.Boolean()),
    })),
    defaultTeam: Type.String(),
    teams: Type.Array(Team),
  }),
  recovery: Type.Object({ publicKey: Type.String(), kid: Type.String() }),
  receiptSalt: Type.String(),
  receiptKdf: Type.Object({ algorithm: Type.Literal('argon2id13'), opslimit: Type.Integer(), memlimit: Type.Integer() }),
  limits: Type.Object({
    maxReportBodyBytes: Type.Integer(), maxCiphertextChars: Type.Integer(), maxNarrativeChars: Type.Integer(),
    maxContactChars: Type.Integer(), maxPlaceChars: Type.Integer(),
  }),
});
export type Intake = Static<typeof Intake>;

export const Health = Type.Object({ status: Type.Literal('ok'), open: Type.Boolean() });
