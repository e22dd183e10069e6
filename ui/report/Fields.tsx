// The questions of the report form, one component per step. The same components render the
// stepped app (controlled, with onInput) and the server's single-page form for browsers without
// JavaScript (the handlers are simply not attached there).
import type { Translate } from '../i18n/index.ts';
import type { ComponentChildren } from 'preact';
import { CONTACT_METHODS, COUNTRIES, HARM_CATEGORIES, REPORTER_ROLES, SYSTEM_TYPES } from '../../protocol/taxonomy.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { countryNames, monthName } from '../i18n/index.ts';
import { incidentYears, type FieldName, type FormErrors, type ReportForm, type StepId } from '../../protocol/report-form.ts';
import { Visibility } from './Layout.tsx';

export interface FieldKit {
  form: ReportForm;
  set: (name: FieldName, value: string | boolean) => void;
  errors: FormErrors;
  t: Translate;
  lang: string;
}

/** The error under a question; screen readers hear the question's name with it. */
function ErrorText({ f, name, field }: { f: FieldKit; name: FieldName; field: string }) {
  const key = f.errors[name];
  if (!key) return null;
  return (
    <p id={`${name}-error`} class="error" role="alert">
      <span class="visually-hidden">{field}: </span>{f.t(key, { max: LIMITS.maxNarrativeChars })}
    </p>
  );
}

const describedBy = (f: FieldKit, name: FieldName, hint?: boolean) =>
  [hint && `${name}-hint`, f.errors[name] && `${name}-error`].filter(Boolean).join(' ') || undefined;

function Group(props: { f: FieldKit; name: FieldName; legend: string; sealed: boolean; children: ComponentChildren }) {
  const { f, name, legend, sealed, children } = props;
  return (
    <fieldset class={f.errors[name] ? 'invalid' : undefined} aria-describedby={describedBy(f, name)}>
      <legend>{legend} <Visibility t={f.t} sealed={sealed} /></legend>
      <ErrorText f={f} name={name} field={legend} />
      {children}
    </fieldset>
  );
}

function Radios({ f, name, options }: { f: FieldKit; name: FieldName; options: { value: string; label: string }[] }) {
  return (
    <div class="choices">
      {options.map((o, i) => (
        <label key={o.value} class="choice">
          <input
            // The first choice carries the group's id, so an error can move focus to the question.
            id={i === 0 ? name : undefined}
            type="radio"
            name={name}
            value={o.value}
            checked={f.form[name] === o.value}
            onChange={() => f.set(name, o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

function Checkbox({ f, name, label }: { f: FieldKit; name: FieldName; label: string }) {
  return (
    <label class="choice">
      <input type="checkbox" id={name} name={name} checked={Boolean(f.form[name])} onChange={(e) => f.set(name, e.currentTarget.checked)} />
      <span>{label}</span>
    </label>
  );
}

interface TextProps { f: FieldKit; name: FieldName; label: string; hint?: string; sealed: boolean; multiline?: boolean; max: number }

function TextField({ f, name, label, hint, sealed, multiline, max }: TextProps) {
  const common = {
    id: name,
    name,
    value: String(f.form[name]),
    maxLength: max,
    // Sealed answers must not be remembered by the browser's form history on a shared phone.
    autoComplete: 'off',
    'aria-invalid': f.errors[name] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(f, name, Boolean(hint)),
    onInput: (e: Event) => f.set(name, (e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={f.errors[name] ? 'field invalid' : 'field'}>
      <label for={name}>{label} <Visibility t={f.t} sealed={sealed} /></label>
      {hint && <p id={`${name}-hint`} class="hint">{hint}</p>}
      <ErrorText f={f} name={name} field={label} />
      {/* dir="auto": English typed in the Arabic form (and the other way round) lays out right. */}
      {multiline ? <textarea rows={8} dir="auto" {...common} /> : <input type="text" dir="auto" {...common} />}
    </div>
  );
}

function SelectField(props: { f: FieldKit; name: FieldName; label: string; hint?: string; options: { value: string; label: string }[] }) {
  const { f, name, label, hint, options } = props;
  return (
    <div class={f.errors[name] ? 'field invalid' : 'field'}>
      <label for={name}>{label} <Visibility t={f.t} sealed={false} /></label>
      {hint && <p id={`${name}-hint`} class="hint">{hint}</p>}
      <ErrorText f={f} name={name} field={label} />
      <select
        id={name}
        name={name}
        aria-invalid={f.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(f, name, Boolean(hint))}
        onChange={(e) => f.set(name, e.currentTarget.value)}
      >
        {options.map((o) => <option key={o.value} value={o.value} selected={f.form[name] === o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

function WhatStep({ f }: { f: FieldKit }) {
  const { t } = f;
  return (
    <>
      <Group f={f} name="category" legend={t('what.category')} sealed={false}>
        <Radios f={f} name="category" options={HARM_CATEGORIES.map((c) => ({ value: c.id, label: t(`taxonomy:category.${c.id}`) }))} />
      </Group>
      <SelectField f={f} name="systemType" label={t('what.systemType')}
        options={SYSTEM_TYPES.map((s) => ({ value: s, label: t(`taxonomy:systemType.${s}`) }))} />
      <Group f={f} name="imminentRisk" legend={t('what.urgency')} sealed={false}>
        <Checkbox f={f} name="imminentRisk" label={t('what.imminentRisk')} />
        <Checkbox f={f} name="child" label={t('what.child')} />
      </Group>
    </>
  );
}

function WhereStep({ f }: { f: FieldKit }) {
  const { t, lang } = f;
  const nameOf = countryNames(lang);
  const collator = new Intl.Collator(lang);
  const countries = COUNTRIES.map((c) => ({ value: c, label: nameOf(c) })).sort((a, b) => collator.compare(a.label, b.label));
  const years = incidentYears();
  const yearFormat = new Intl.NumberFormat(`${lang}-u-ca-gregory`, { useGrouping: false });
  return (
    <>
      <SelectField f={f} name="country" label={t('where.country')} options={[
        { value: '', label: t('where.countryPlaceholder') },
        ...countries,
        { value: 'unknown', label: t('where.countryUnknown') },
      ]} />
      <Group f={f} name="year" legend={t('where.when')} sealed={false}>
        <p id="year-hint" class="hint">{t('where.whenHint')}</p>
        <div class="row">
          <SelectField f={f} name="month" label={t('where.month')} options={[
            { value: '', label: t('where.unknownMonth') },
            ...Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1).padStart(2, '0'), label: monthName(lang, i + 1) })),
          ]} />
          <SelectField f={f} name="year" label={t('where.year')} options={[
            { value: '', label: t('where.unknownYear') },
            ...years.map((y) => ({ value: y, label: yearFormat.format(Number(y)) })),
          ]} />
        </div>
      </Group>
    </>
  );
}

function WhoStep({ f }: { f: FieldKit }) {
  return (
    <Group f={f} name="role" legend={f.t('who.role')} sealed={false}>
      <Radios f={f} name="role" options={REPORTER_ROLES.map((r) => ({ value: r, label: f.t(`who.${r}`) }))} />
    </Group>
  );
}

function StoryStep({ f }: { f: FieldKit }) {
  const { t } = f;
  return (
    <>
      <TextField f={f} name="narrative" label={t('story.narrative')} hint={t('story.narrativeHint')} sealed multiline max={LIMITS.maxNarrativeChars} />
      <TextField f={f} name="place" label={t('story.place')} hint={t('story.placeHint')} sealed max={LIMITS.maxPlaceChars} />
      <TextField f={f} name="date" label={t('story.date')} sealed max={LIMITS.maxPlaceChars} />
    </>
  );
}

function ContactStep({ f }: { f: FieldKit }) {
  const { t } = f;
  return (
    <>
      <TextField f={f} name="name" label={t('contact.name')} hint={t('contact.nameHint')} sealed max={LIMITS.maxContactChars} />
      <Group f={f} name="contactMethod" legend={t('contact.method')} sealed>
        <Radios f={f} name="contactMethod" options={CONTACT_METHODS.map((m) => ({ value: m, label: t(`contact.${m}`) }))} />
      </Group>
      <TextField f={f} name="contactValue" label={t('contact.value')} hint={t('contact.valueHint')} sealed max={LIMITS.maxContactChars} />
    </>
  );
}

function ConsentStep({ f }: { f: FieldKit }) {
  const { t } = f;
  const yesNo = [{ value: 'yes', label: t('consent.yes') }, { value: 'no', label: t('consent.no') }];
  return (
    <>
      <p class="hint">{t('consent.hint')}</p>
      <Group f={f} name="consentReferral" legend={t('consent.referral')} sealed={false}>
        <Radios f={f} name="consentReferral" options={yesNo} />
      </Group>
      <Group f={f} name="consentShareData" legend={t('consent.shareData')} sealed={false}>
        <Radios f={f} name="consentShareData" options={yesNo} />
      </Group>
    </>
  );
}

export const STEP_COMPONENTS: Record<StepId, (props: { f: FieldKit }) => preact.JSX.Element> = {
  what: WhatStep,
  where: WhereStep,
  who: WhoStep,
  story: StoryStep,
  contact: ContactStep,
  consent: ConsentStep,
};
