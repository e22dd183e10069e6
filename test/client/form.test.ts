// The form model shared by the app and the server: validation and the clear/sealed split.
import { describe, expect, it } from 'vitest';
import { incidentMonth, readForm, splitReport, validateForm, isFutureMonth } from '../../protocol/report-form.ts';
import { MARKER, validForm } from '../fixtures/report.ts';

describe('report form', () => {
  it('accepts a complete form and splits it into clear fields and sealed content', () => {
    const form = validForm();
    expect(validateForm(form)).toEqual({});
    const { clear, content } = splitReport(form, 'ar');
    expect(clear).toEqual({
      taxonomy: '1', category: 'biometric_lockout', systemType: 'iris_scan', country: 'JO', language: 'ar', role: 'self',
      incidentMonth: '2025-03', urgent: false, child: false, consentReferral: true, consentShareData: false,
    });
    expect(JSON.stringify(clear)).not.toContain(MARKER);
    expect(content.narrative).toContain(MARKER);
  });

  it('names each missing or wrong answer', () => {
    const errors = validateForm(validForm({ category: '', country: 'XX', role: '', narrative: ' ', contactMethod: 'email', contactValue: 'nope', consentReferral: '' }));
    expect(errors).toEqual({
      category: 'errors.chooseOne', country: 'errors.chooseOne', role: 'errors.chooseOne', narrative: 'errors.required',
      contactValue: 'errors.emailInvalid', consentReferral: 'errors.chooseOne',
    });
    expect(validateForm(validForm({ contactMethod: 'phone', contactValue: '۰۷۹ ۱۲' }))).toEqual({ contactValue: 'errors.phoneInvalid' });
    expect(validateForm(validForm({ contactMethod: 'phone', contactValue: '۰۷۹ ۱۲۳ ۴۵۶۷' }))).toEqual({});
    expect(validateForm(validForm({ contactMethod: 'none', contactValue: '' }))).toEqual({});
    expect(validateForm(validForm({ narrative: 'x'.repeat(20_001) }))).toEqual({ narrative: 'errors.narrativeTooLong' });
  });

  it('derives urgency, the incident month and consents conservatively', () => {
    expect(splitReport(validForm({ child: true }), 'en').clear.urgent).toBe(true);
    expect(splitReport(validForm({ category: 'pushback' }), 'en').clear.urgent).toBe(true);
    expect(splitReport(validForm({ consentReferral: 'no', consentShareData: 'yes' }), 'en').clear.consentShareData).toBe(false);
    expect(splitReport(validForm({ contactValue: '٠٧٩١٢٣٤٥٦٧' }), 'en').content.contact.value).toBe('0791234567');
    expect(incidentMonth(validForm({ year: '', month: '03' }))).toBe('unknown');
    expect(incidentMonth(validForm({ year: '2024', month: '' }))).toBe('2024');
    expect(isFutureMonth('2026-12', new Date('2026-11-27T00:00:00Z'))).toBe(true);
    expect(isFutureMonth('2026-11', new Date('2026-11-27T00:00:00Z'))).toBe(false);
    // Next year is not among the offered years at all; a later month of this year is "in the future".
    expect(validateForm(validForm({ year: String(new Date().getUTCFullYear() + 1), month: '01' }))).toEqual({ year: 'errors.chooseOne' });
    const now = new Date();
    if (now.getUTCMonth() < 11) {
      expect(validateForm(validForm({ year: String(now.getUTCFullYear()), month: '12' }))).toEqual({ year: 'errors.futureDate' });
    }
  });

  it('reads a submitted HTML form, ticked boxes included', () => {
    const fields: Record<string, string> = { category: 'pushback', imminentRisk: 'on', narrative: 'x' };
    const form = readForm((name) => fields[name]);
    expect(form).toMatchObject({ category: 'pushback', imminentRisk: true, child: false, narrative: 'x', systemType: 'unknown' });
  });
});
