// Without JavaScript the server encrypts a report on arrival, not the phone: the plain form's
// badges and their explanation say so ("Encrypted by the server on arrival"), whatever the
// components they appear in were written to say for the app.
import type { Translate } from '../i18n/index.ts';

const SERVER_SEALED: Record<string, string> = {
  'privacy.sealed': 'evidence:privacy.sealedByServer',
  'privacy.sealedHint': 'evidence:privacy.sealedByServerHint',
};

export function serverSealedTexts(t: Translate): Translate {
  return (key, vars) => t(SERVER_SEALED[key] ?? key, vars);
}
