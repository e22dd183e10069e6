// A report from the plain HTML form (no JavaScript): read and check the fields exactly as the
// browser app does (protocol/report-form.ts), seal them here with the same code the browser runs
// (the plaintext exists only in this request's memory), store the case, and hand back the receipt
// inside a token only this process can open. A form id already filed is not filed twice.
import type { Conn } from '../../db/index.ts';
import type { Intake } from '../../protocol/api.ts';
import { readForm, validateForm, type FormErrors, type ReportForm } from '../../protocol/report-form.ts';
import type { Argon2id } from '../../protocol/receipt.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import type { AppState } from '../state.ts';
import { markSent, sealReceiptToken, wasSent } from './receipt-token.ts';
import { acceptReport } from './reports.ts';

export type NoJsOutcome =
  | { outcome: 'invalid'; form: ReportForm; errors: FormErrors; formId?: string }
  | { outcome: 'already_sent' }
  | { outcome: 'filed'; receipt: string; token: string };

export async function fileServerSealedReport(
  db: Conn, state: AppState, intake: Intake, language: string, field: (name: string) => string | undefined,
  argon2id?: Argon2id, notify = false,
): Promise<NoJsOutcome> {
  const form = readForm(field);
  const errors = validateForm(form);
  const formId = field('formId') ?? '';
  if (Object.keys(errors).length > 0) return { outcome: 'invalid', form, errors, formId: formId || undefined };
  // The same form sent again (a reload of the receipt page) must not file a second case.
  if (formId && wasSent(state.sentForms, formId)) return { outcome: 'already_sent' };
  const sealed = await sealSubmission(form, language, intake, { argon2id });
  await acceptReport(db, sealed.body, 'server', { notify });
  if (formId) markSent(state.sentForms, formId);
  return { outcome: 'filed', receipt: sealed.receipt, token: sealReceiptToken(state.keys.receiptToken, sealed.receipt) };
}
