// The report form's model: its fields, how to read them from a submitted HTML form, how to check
// them, and how to split them into clear routing fields and sealed content. Shared by the
// browser app and the server's no-JavaScript path so both accept exactly the same reports.
import type { ReportClear, ReportContent } from './api.ts';
import { LIMITS } from './limits.ts';
import {
  CONTACT_METHODS, COUNTRIES, HARM_CATEGORY_IDS, REPORTER_ROLES, SYSTEM_TYPES, TAXONOMY_VERSION, findCategory,
} from './taxonomy.ts';
import { toAsciiDigits } from './receipt.ts';

export interface ReportForm {
  category: string;
  systemType: string;
  imminentRisk: boolean;
  child: boolean;
  country: string;
  year: string;
  month: string;
  role: string;
  narrative: string;
  place: string;
  date: string;
  /** Optional, sealed: some bodies need a name to take a complaint. */
  name: string;
  contactMethod: string;
  contactValue: string;
  consentReferral: string;
  consentShareData: string;
}

export type FieldName = keyof ReportForm;

export const EMPTY_FORM: ReportForm = {
  category: '', systemType: 'unknown', imminentRisk: false, child: false,
  country: '', year: '', month: '', role: '',
  narrative: '', place: '', date: '', name: '',
  contactMethod: '', contactValue: '',
  consentReferral: '', consentShareData: '',
};

/** The steps of the form and the fields each one asks for, in order. */
export const STEPS = [
  { id: 'what', fields: ['category', 'systemType', 'imminentRisk', 'child'] },
  { id: 'where', fields: ['country', 'year', 'month'] },
  { id: 'who', fields: ['role'] },
  { id: 'story', fields: ['narrative', 'place', 'date'] },
  { id: 'contact', fields: ['name', 'contactMethod', 'contactValue'] },
  { id: 'consent', fields: ['consentReferral', 'consentShareData'] },
] as const satisfies readonly { id: string; fields: readonly FieldName[] }[];
export type StepId = (typeof STEPS)[number]['id'];

const BOOLEAN_FIELDS: FieldName[] = ['imminentRisk', 'child'];

/** Reads a form from submitted fields (FormData in the browser, multipart fields on the server). */
export function readForm(get: (name: string) => string | undefined): ReportForm {
  const form = { ...EMPTY_FORM } as Record<FieldName, string | boolean>;
  for (const name of Object.keys(EMPTY_FORM) as FieldName[]) {
    const raw = get(name);
    if (BOOLEAN_FIELDS.includes(name)) form[name] = raw === 'on' || raw === 'true' || raw === 'yes';
    else if (raw !== undefined) form[name] = raw.slice(0, LIMITS.maxNarrativeChars + 1);
  }
  return form as unknown as ReportForm;
}

/** Error message keys (namespace report, under errors.*) by field. Empty when the form is complete. */
export type FormErrors = Partial<Record<FieldName, string>>;

export function incidentMonth(form: ReportForm): string {
  if (!/^\d{4}$/.test(form.year)) return 'unknown';
  return /^(0[1-9]|1[0-2])$/.test(form.month) ? `${form.year}-${form.month}` : form.year;
}

/** The years the form offers: this year and the eleven before it (older: "I don't remember"). */
export function incidentYears(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => String(now.getUTCFullYear() - i));
}

export function isFutureMonth(value: string, today = new Date()): boolean {
  if (value === 'unknown') return false;
  const [y, m] = value.split('-').map(Number);
  const thisYear = today.getUTCFullYear();
  const thisMonth = today.getUTCMonth() + 1;
  return y! > thisYear || (m !== undefined && y === thisYear && m > thisMonth);
}

export function validateForm(form: ReportForm, fields: readonly FieldName[] = Object.keys(EMPTY_FORM) as FieldName[]): FormErrors {
  const errors: FormErrors = {};
  const want = (name: FieldName) => fields.includes(name);
  if (want('category') && !(HARM_CATEGORY_IDS as readonly string[]).includes(form.category)) errors.category = 'errors.chooseOne';
  if (want('systemType') && !(SYSTEM_TYPES as readonly string[]).includes(form.systemType)) errors.systemType = 'errors.chooseOne';
  if (want('country') && form.country !== 'unknown' && !COUNTRIES.includes(form.country)) errors.country = 'errors.chooseOne';
  if (want('year') && form.year !== '' && !incidentYears().includes(form.year)) errors.year = 'errors.chooseOne';
  else if (want('year') && isFutureMonth(incidentMonth(form))) errors.year = 'errors.futureDate';
  if (want('role') && !(REPORTER_ROLES as readonly string[]).includes(form.role)) errors.role = 'errors.chooseOne';
  if (want('narrative')) {
    if (form.narrative.trim() === '') errors.narrative = 'errors.required';
    else if (form.narrative.length > LIMITS.maxNarrativeChars) errors.narrative = 'errors.narrativeTooLong';
  }
  if (want('place') && form.place.length > LIMITS.maxPlaceChars) errors.place = 'errors.narrativeTooLong';
  if (want('date') && form.date.length > LIMITS.maxPlaceChars) errors.date = 'errors.narrativeTooLong';
  if (want('name') && form.name.length > LIMITS.maxContactChars) errors.name = 'errors.narrativeTooLong';
  if (want('contactMethod') && !(CONTACT_METHODS as readonly string[]).includes(form.contactMethod)) {
    errors.contactMethod = 'errors.chooseOne';
  }
  if (want('contactValue') && form.contactMethod && form.contactMethod !== 'none') {
    const value = form.contactValue.trim();
    if (value === '') errors.contactValue = 'errors.contactRequired';
    else if (value.length > LIMITS.maxContactChars) errors.contactValue = 'errors.narrativeTooLong';
    else if (form.contactMethod === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) errors.contactValue = 'errors.emailInvalid';
    else if (form.contactMethod === 'phone' && toAsciiDigits(value).replace(/\D/g, '').length < 6) errors.contactValue = 'errors.phoneInvalid';
  }
  if (want('consentReferral') && !['yes', 'no'].includes(form.consentReferral)) errors.consentReferral = 'errors.chooseOne';
  if (want('consentShareData') && !['yes', 'no'].includes(form.consentShareData)) errors.consentShareData = 'errors.chooseOne';
  return errors;
}

/** Splits a complete form (one validateForm passed) into what travels in clear and what is sealed. */
export function splitReport(form: ReportForm, language: string): { clear: ReportClear; content: ReportContent } {
  const category = findCategory(form.category);
  const contactMethod = form.contactMethod as ReportContent['contact']['method'];
  const clear: ReportClear = {
    taxonomy: TAXONOMY_VERSION,
    category: form.category as ReportClear['category'],
    systemType: form.systemType as ReportClear['systemType'],
    country: form.country,
    language: language as ReportClear['language'],
    role: form.role as ReportClear['role'],
    incidentMonth: incidentMonth(form),
    urgent: Boolean(category?.urgent) || form.imminentRisk || form.child,
    child: form.child,
    consentReferral: form.consentReferral === 'yes',
    // Sharing personal data only makes sense with a referral; a "yes" without one is dropped.
    consentShareData: form.consentReferral === 'yes' && form.consentShareData === 'yes',
  };
  const content: ReportContent = {
    narrative: form.narrative.trim(),
    place: form.place.trim(),
    date: toAsciiDigits(form.date.trim()),
    name: form.name.trim(),
    contact: {
      method: contactMethod,
      value: contactMethod === 'none' ? '' : toAsciiDigits(form.contactValue.trim()),
    },
    imminentRisk: form.imminentRisk,
  };
  return { clear, content };
}
