// Sign-in: the password never leaves the browser. Argon2id gives an auth key (sent) and a wrap
// key (kept in memory to unlock the account's private key). First sign-in enrols TOTP.
import { useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { KeyPair } from '../../../protocol/envelope.ts';
import { KdfPolicyError } from '../../../protocol/kdf-policy.ts';
import { toAsciiDigits } from '../../../protocol/receipt.ts';
import { DeskApiError, api, errorText, setCsrfToken } from '../api.ts';
import { passwordKeys, unlockAccount } from '../keys.ts';

import type { LoginResult, Me } from '../../../protocol/desk-api.ts';

export function SignIn({ t, onSignedIn, lockedMe }: { t: TFunction; onSignedIn: (me: Me, keys: KeyPair) => void; lockedMe?: Me }) {
  const [email, setEmail] = useState(lockedMe?.email ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrol, setEnrol] = useState<Extract<LoginResult, { next: 'enrol_totp' }> | null>(null);
  const [wrapKey, setWrapKey] = useState<Uint8Array | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function finish(me: Me, key: Uint8Array) {
    setCsrfToken(me.csrfToken);
    const keys = await unlockAccount(me, key);
    if (!keys) throw new Error(t('desk:signIn.unlockFailed'));
    onSignedIn(me, keys);
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (enrol && wrapKey) {
        const result = await api<LoginResult>('POST', '/api/auth/totp/enrol', { code: toAsciiDigits(code).replace(/\s/g, '') });
        if (result.next === 'done') await finish(result.me, wrapKey);
        return;
      }
      const { authKey, wrapKey: key } = await passwordKeys(email, password);
      if (lockedMe) {
        // Still signed in after a reload: the password only unlocks the private key again.
        return await finish(lockedMe, key);
      }
      const result = await api<LoginResult>('POST', '/api/auth/login', { email, authKey, totp: code ? toAsciiDigits(code).replace(/\s/g, '') : undefined });
      setWrapKey(key);
      if (result.next === 'enrol_totp') {
        setCsrfToken(result.csrfToken);
        setEnrol(result);
        setCode('');
      } else {
        await finish(result.me, key);
      }
    } catch (err) {
      setError(err instanceof DeskApiError && err.code === 'totp_required' ? t('errors:totp_required')
        : err instanceof KdfPolicyError ? t('desk:trust.weakKdf') : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} class="card">
      <h1>{lockedMe ? t('desk:signIn.unlockTitle') : enrol ? t('desk:signIn.enrolTitle') : t('desk:signIn.title')}</h1>
      {enrol ? (
        <>
          <p>{t('desk:signIn.enrolIntro')}</p>
          <div class="qr" role="img" aria-label={t('desk:signIn.qrLabel')} dangerouslySetInnerHTML={{ __html: enrol.qrSvg }} />
          <p>{t('desk:signIn.secretText')} <code data-testid="totp-secret">{enrol.totpSecret}</code></p>
        </>
      ) : (
        <>
          {lockedMe && <p>{t('desk:signIn.unlockIntro')}</p>}
          <label for="signin-email">{t('desk:email')}</label>
          <input id="signin-email" type="email" autoComplete="username" value={email} readOnly={Boolean(lockedMe)} onInput={(e) => setEmail(e.currentTarget.value)} required />
          <label for="signin-password">{t('desk:password')}</label>
          <input id="signin-password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </>
      )}
      {!lockedMe && (
        <>
          <label for="signin-code">{t('desk:signIn.code')}</label>
          <input id="signin-code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} value={code} onInput={(e) => setCode(e.currentTarget.value)} required={Boolean(enrol)} />
          {!enrol && <p class="hint">{t('desk:signIn.codeHint')}</p>}
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('desk:working') : enrol ? t('desk:signIn.confirmCode') : t('desk:signIn.submit')}</button>
    </form>
  );
}
