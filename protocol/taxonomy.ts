// Taxonomy v1: the fixed lists that travel in clear (harm categories, system types, reporter
// roles, countries, languages). Versioned because routing rules and statistics are keyed on them:
// never rename or reuse an id; add a new version instead.

export const TAXONOMY_VERSION = '1';

export interface HarmCategory {
  id: string;
  /** Urgent by nature: triaged within 24 h whatever the reporter ticks. */
  urgent: boolean;
  /** Sensitive: may only be routed to a team marked restricted. */
  sensitive: boolean;
  /** The EU AI Act Annex III point the use concerns, where one applies. */
  aiActAnnexIII: string | null;
}

export const HARM_CATEGORIES: readonly HarmCategory[] = [
  { id: 'denial_of_entry', urgent: false, sensitive: false, aiActAnnexIII: '7(b)' },
  { id: 'asylum_blocked', urgent: false, sensitive: false, aiActAnnexIII: '7(c)' },
  { id: 'biometric_lockout', urgent: false, sensitive: false, aiActAnnexIII: '7(d)' },
  { id: 'misidentification_detention', urgent: false, sensitive: false, aiActAnnexIII: '7(d)' },
  { id: 'pushback', urgent: true, sensitive: false, aiActAnnexIII: '7(d)' },
  { id: 'assistance_cut', urgent: false, sensitive: false, aiActAnnexIII: '5(a)' },
  { id: 'discrimination', urgent: false, sensitive: false, aiActAnnexIII: null },
  { id: 'data_protection', urgent: false, sensitive: false, aiActAnnexIII: null },
  { id: 'no_explanation', urgent: false, sensitive: false, aiActAnnexIII: null },
  { id: 'lie_detection', urgent: false, sensitive: false, aiActAnnexIII: '7(a)' },
  { id: 'family_separation', urgent: false, sensitive: false, aiActAnnexIII: null },
  { id: 'sexual_exploitation', urgent: true, sensitive: true, aiActAnnexIII: null },
  { id: 'other', urgent: false, sensitive: false, aiActAnnexIII: null },
];

export const HARM_CATEGORY_IDS = HARM_CATEGORIES.map((c) => c.id);

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
  code: string;
  /** The language's name in its own script, as shown in the language list. */
  nativeName: string;
  dir: 'ltr' | 'rtl';
}

/** Languages of the public form. English is the reference; order is the list's order. */
export const LANGUAGES: readonly Language[] = [
  { code: 'en', nativeName: 'English', dir: 'ltr' },
  { code: 'ar', nativeName: 'العربية', dir: 'rtl' },
  { code: 'fa', nativeName: 'فارسی / دری', dir: 'rtl' },
  { code: 'ps', nativeName: 'پښتو', dir: 'rtl' },
  { code: 'ti', nativeName: 'ትግርኛ', dir: 'ltr' },
  { code: 'fr', nativeName: 'Français', dir: 'ltr' },
  { code: 'es', nativeName: 'Español', dir: 'ltr' },
  { code: 'uk', nativeName: 'Українська', dir: 'ltr' },
];
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code);

export function languageDir(code: string): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}

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
