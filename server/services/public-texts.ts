// Texts reporters read, editable per language by admins: the explanation of each status on the
// follow-up page, and the acknowledgement template caseworkers send. Defaults come from the
// locales; an edit is stored with its audit entry in one transaction, an empty text restores the default.
import { and, eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { publicTexts } from '../../db/schema.ts';
import type { PublicTexts } from '../../protocol/desk-api.ts';
import { CASE_STATUSES, type LanguageCode } from '../../protocol/taxonomy.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { textsFor } from './follow-up.ts';

export const PUBLIC_TEXT_KEYS = [...CASE_STATUSES.filter((s) => s !== 'purged').map((s) => `status.${s}`), 'template.acknowledge'];

/** The translation a key falls back to, for a language (i18next `t` of that locale). */
export type Translator = (key: string) => string;

function defaults(t: Translator): Record<string, string> {
  return Object.fromEntries(PUBLIC_TEXT_KEYS.map((key) => [key,
    key === 'template.acknowledge' ? t('followUp.ackTemplate') : t(`followUp.${key}`)]));
}

export function publicTextsOf(db: Conn, language: LanguageCode, t: Translator): PublicTexts {
  return { defaults: defaults(t), overrides: textsFor(db, language) };
}

export function editPublicText(db: Conn, actor: string, language: LanguageCode, t: Translator, edit: { key: string; text: string }): PublicTexts {
  if (!PUBLIC_TEXT_KEYS.includes(edit.key)) throw new AppError(400, 'invalid_request', 'key');
  const now = new Date().toISOString();
  db.transaction((tx) => {
    tx.delete(publicTexts).where(and(eq(publicTexts.language, language), eq(publicTexts.key, edit.key))).run();
    if (edit.text.trim()) tx.insert(publicTexts).values({ language, key: edit.key, text: edit.text.trim(), updatedAt: now }).run();
    appendAudit(tx, { at: now, actor, action: 'texts.changed', subject: `${language}:${edit.key}` });
  });
  return publicTextsOf(db, language, t);
}
