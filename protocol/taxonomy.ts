// Taxonomy v1: the fixed lists that travel in clear (harm categories, system types, reporter
// roles, countries, languages). Versioned because routing rules and statistics are keyed on them:
// never rename or reuse an id; add a new version instead.

export const TAXONOMY_VERSION = '1';

/** Harm category ids of taxonomy v1, in the form's order. */
export const HARM_CATEGORY_IDS = [
  'denial_of_entry', 'asylum_blocked', 'biometric_lockout', 'misidentification_detention', 'pushback',
  'assistance_cut', 'discrimination', 'data_protection', 'no_explanation', 'lie_detection',
  'family_separation', 'sexual_exploitation', 'other',
] as const;
export type HarmCategoryId = (typeof HARM_CATEGORY_IDS)[number];

export interface HarmCategory {
  id: HarmCategoryId;
  /** Urgent by nature: triaged within 24 h whatever the reporter ticks. */
  urgent: boolean;
  /** Sensitive: may only be routed to a team marked restricted. */
  sensitive: boolean;
  /** The EU AI Act Annex III point the use concerns, where one applies. */
  aiActAnnexIII: string | null;
}

const CATEGORY_TRAITS: Record<HarmCategoryId, Omit<HarmCategory, 'id'>> = {
  denial_of_entry: { urgent: false, sensitive: false, aiActAnnexIII: '7(b)' },
  asylum_blocked: { urgent: false, sensitive: false, aiActAnnexIII: '7(c)' },
  biometric_lockout: { urgent: false, sensitive: false, aiActAnnexIII: '7(d)' },
  misidentification_detention: { urgent: false, sensitive: false, aiActAnnexIII: '7(d)' },
  pushback: { urgent: true, sensitive: false, aiActAnnexIII: '7(d)' },
  assistance_cut: { urgent: false, sensitive: false, aiActAnnexIII: '5(a)' },
  discrimination: { urgent: false, sensitive: false, aiActAnnexIII: null },
  data_protection: { urgent: false, sensitive: false, aiActAnnexIII: null },
  no_explanation: { urgent: false, sensitive: false, aiActAnnexIII: null },
  lie_detection: { urgent: false, sensitive: false, aiActAnnexIII: '7(a)' },
  family_separation: { urgent: false, sensitive: false, aiActAnnexIII: null },
  sexual_exploitation: { urgent: true, sensitive: true, aiActAnnexIII: null },
  other: { urgent: false, sensitive: false, aiActAnnexIII: null },
};

export const HARM_CATEGORIES: readonly HarmCategory[] = HARM_CATEGORY_IDS.map((id) => ({ id, ...CATEGORY_TRAITS[id] }));

export const SYSTEM_TYPES = [
  'risk_scoring',
  'face_recognition',
  'fingerprint',
  'iris_scan',
  'drone_or_sensor_surveillance',
  'lie_or_emotion_detection',
  'dialect_recognition',
  'eligibility_algorithm',
  'document_check',
  'database_or_watchlist',
  'automated_interview',
  'other',
  'unknown',
] as const;
export type SystemType = (typeof SYSTEM_TYPES)[number];

export const REPORTER_ROLES = ['self', 'on_behalf', 'witness'] as const;
export type ReporterRole = (typeof REPORTER_ROLES)[number];

export const CONTACT_METHODS = ['none', 'phone', 'email', 'advocate'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** ISO 3166-1 alpha-2, all 249 officially assigned codes. Names come from Intl.DisplayNames. */
export const COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV ' +
  'BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ' +
  'ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE ' +
  'IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
  'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU ' +
  'NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM ' +
  'SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE ' +
  'VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export interface Language {
  code: LanguageCode;
  /** The language's name in its own script, as shown in the language list. */
  nativeName: string;
  /** Its English name, so the list can be searched by either. */
  englishName: string;
  /**
   * The CLDR numbering system of the digits its readers use besides 0–9, where there is one: the
   * receipt is also shown in these digits. (CLDR's default for plain "ar" and "ur" is Latin digits,
   * but most readers from Syria, Sudan, Iraq, Egypt and Afghanistan write Arabic-Indic ones.)
   */
  digits?: 'arab' | 'arabext' | 'beng' | 'mymr';
  dir: 'ltr' | 'rtl';
}

/** Languages of the public form and the desk, by code. English is the reference. */
export const LANGUAGE_CODES = [
  'en', 'ar', 'fa', 'ps', 'ti', 'fr', 'es', 'uk', 'so', 'ur', 'bn', 'ckb', 'kmr', 'tr', 'ru', 'am', 'pt', 'ht', 'sw', 'my', 'ha',
  'de', 'el', 'it',
] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

/** Languages of the public form. English is the reference; order is the list's order. */
export const LANGUAGES: readonly Language[] = [
  { code: 'en', nativeName: 'English', englishName: 'English', dir: 'ltr' },
  { code: 'ar', nativeName: 'العربية', englishName: 'Arabic', dir: 'rtl', digits: 'arab' },
  { code: 'fa', nativeName: 'فارسی / دری', englishName: 'Persian / Dari', dir: 'rtl', digits: 'arabext' },
  { code: 'ps', nativeName: 'پښتو', englishName: 'Pashto', dir: 'rtl', digits: 'arabext' },
  { code: 'ti', nativeName: 'ትግርኛ', englishName: 'Tigrinya', dir: 'ltr' },
  { code: 'fr', nativeName: 'Français', englishName: 'French', dir: 'ltr' },
  { code: 'es', nativeName: 'Español', englishName: 'Spanish', dir: 'ltr' },
  { code: 'uk', nativeName: 'Українська', englishName: 'Ukrainian', dir: 'ltr' },
  { code: 'so', nativeName: 'Soomaali', englishName: 'Somali', dir: 'ltr' },
  { code: 'ur', nativeName: 'اردو', englishName: 'Urdu', dir: 'rtl', digits: 'arabext' },
  { code: 'bn', nativeName: 'বাংলা', englishName: 'Bengali', dir: 'ltr', digits: 'beng' },
  { code: 'ckb', nativeName: 'کوردی (سۆرانی)', englishName: 'Kurdish (Sorani)', dir: 'rtl', digits: 'arab' },
  { code: 'kmr', nativeName: 'Kurmancî', englishName: 'Kurdish (Kurmanji)', dir: 'ltr' },
  { code: 'tr', nativeName: 'Türkçe', englishName: 'Turkish', dir: 'ltr' },
  { code: 'ru', nativeName: 'Русский', englishName: 'Russian', dir: 'ltr' },
  { code: 'am', nativeName: 'አማርኛ', englishName: 'Amharic', dir: 'ltr' },
  { code: 'pt', nativeName: 'Português', englishName: 'Portuguese', dir: 'ltr' },
  { code: 'ht', nativeName: 'Kreyòl ayisyen', englishName: 'Haitian Creole', dir: 'ltr' },
  { code: 'sw', nativeName: 'Kiswahili', englishName: 'Swahili', dir: 'ltr' },
  { code: 'my', nativeName: 'မြန်မာ', englishName: 'Burmese', dir: 'ltr', digits: 'mymr' },
  { code: 'ha', nativeName: 'Hausa', englishName: 'Hausa', dir: 'ltr' },
  { code: 'de', nativeName: 'Deutsch', englishName: 'German', dir: 'ltr' },
  { code: 'el', nativeName: 'Ελληνικά', englishName: 'Greek', dir: 'ltr' },
  { code: 'it', nativeName: 'Italiano', englishName: 'Italian', dir: 'ltr' },
];

export function languageDir(code: string): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}

export const isLanguageCode = (code: unknown): code is LanguageCode => (LANGUAGE_CODES as readonly unknown[]).includes(code);

export function findCategory(id: string): HarmCategory | undefined {
  return HARM_CATEGORIES.find((c) => c.id === id);
}

/** Incident month: `YYYY-MM` or `YYYY` (Gregorian) or `unknown`. Future dates are refused. */
export const INCIDENT_MONTH_PATTERN = '^(unknown|(19|20)[0-9]{2}(-(0[1-9]|1[0-2]))?)$';

/** Case lifecycle states (DESIGN.md). */
export const CASE_STATUSES = [
  'received', 'triaged', 'acknowledged', 'in_progress', 'referred', 'closed', 'purged',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** How a closed case ended (DESIGN.md lifecycle). */
export const CLOSE_OUTCOMES = ['resolved', 'referred_out', 'out_of_scope', 'withdrawn'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

/** Desk account roles: admins run the organisation, caseworkers handle cases, analysts see statistics only. */
export const ACCOUNT_ROLES = ['admin', 'caseworker', 'analyst'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Who sealed a report: the reporter's browser, or the server on arrival (no-JavaScript form). */
export const SEALED_BY = ['browser', 'server'] as const;
export type SealedBy = (typeof SEALED_BY)[number];

export const MESSAGE_DIRECTIONS = ['to_reporter', 'from_reporter'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** A desk session is 'totp_enrol' until the account has a second factor, then 'full'. */
export const SESSION_STAGES = ['totp_enrol', 'full'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

/** Who deployed the system behind a harm, as caseworkers code it (statistics count these). */
export const DEPLOYER_CLASSES = [
  'border_police', 'coast_guard', 'eu_agency', 'un_agency', 'ngo', 'private_contractor', 'national_authority', 'unknown',
] as const;
export type DeployerClass = (typeof DEPLOYER_CLASSES)[number];

/** Kinds of bodies in the remedy-pathway directory (db/seed/pathways.json). */
export const PATHWAY_KINDS = [
  'dpa', 'market_surveillance', 'deployer_letter', 'eu_complaints_mechanism', 'fundamental_rights_officer', 'ombudsman',
  'nhri', 'court_interim_measures', 'un_special_procedure', 'un_treaty_body', 'agency_accountability',
] as const;
export type PathwayKind = (typeof PATHWAY_KINDS)[number];

/** What a body can achieve. */
export const PATHWAY_POWERS = ['binding_decision', 'interim_measure', 'recommendation', 'investigation'] as const;
export type PathwayPower = (typeof PATHWAY_POWERS)[number];

/** What came of a referral (null while waiting). */
export const REFERRAL_OUTCOMES = ['admissible', 'inadmissible', 'remedy_granted', 'refused', 'no_answer'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** Why a closed case is reopened: a fixed list, so the audit log never holds a caseworker's free text. */
export const REOPEN_REASONS = ['reporter_replied', 'new_information', 'body_answered', 'closed_in_error', 'other'] as const;
export type ReopenReason = (typeof REOPEN_REASONS)[number];

/** The four case timers of DESIGN.md, and a referral's follow-up date. */
export const CASE_TIMERS = ['triage', 'acknowledge', 'update', 'silence'] as const;
export type CaseTimer = (typeof CASE_TIMERS)[number];
export const DEADLINE_KINDS = [...CASE_TIMERS, 'referral_follow_up'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_STATES = ['ok', 'due_soon', 'overdue'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** How a desk account is told about its queue: a mail each time, or one a day (urgent cases always at once). */
export const NOTIFY_MODES = ['each', 'daily'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];
/** What a (content-free) notification mail is about. */
export const NOTICE_KINDS = ['new_case', 'urgent_case', 'reporter_reply', 'deadline', 'digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What complaining to a body costs and whether it needs a lawyer (db/seed/pathways.json). */
export const PATHWAY_COSTS = ['free', 'fee', 'varies'] as const;
export const LAWYER_NEEDS = ['no', 'recommended', 'yes'] as const;
