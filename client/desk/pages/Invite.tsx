// Accepting an invitation: the invitee's keypair and password-derived keys are made here; the
// server receives the public key, the wrapped private key and an auth key to hash.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import { toBase64Url } from '../../../protocol/encoding.ts';
import { MIN_PASSWORD_LENGTH, WRAP_LABEL, derivePasswordKeys, generateKeyPair, newKdfParams, wrapSecret } from '../../../protocol/keys.ts';
import type { InvitationInfo as Invitation } from '../../../protocol/api.ts';
import { api, errorText } from '../api.ts';

export function Invite({ t, token }: { t: TFunction; token: string }) {
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [form, setForm] = useState({ email: '', password: '', repeat: '' });
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Invitation>('POST', '/api/invitations/inspect', { token })
      .then((inv) => { setInvitation(inv); setForm((f) => ({ ...f, email: inv.email ?? '' })); })
      .catch((err) => setError(errorText(err)));
  }, [token]);

  async function submit(e: Event) {
    e.preventDefault();
    if (form.password.length < MIN_PASSWORD_LENGTH) return setError(t('errors:password_too_short'));
    if (form.password !== form.repeat) return setError(t('desk:passwordsDiffer'));
    setBusy(true);
    setError('');
    try {
      const kdf = await newKdfParams();
      const { authKey, wrapKey } = await derivePasswordKeys(form.password, kdf);
      const pair = await generateKeyPair();
      await api('POST', '/api/invitations/accept', {
        token, email: form.email.trim(), kdf, authKey: toBase64Url(authKey), publicKey: toBase64Url(pair.publicKey),
        wrappedPrivateKey: await wrapSecret(pair.privateKey, wrapKey, WRAP_LABEL.userPrivateKey),
      });
      setDone(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) return <section class="card"><h1>{t('desk:invite.doneTitle')}</h1><p>{invitation?.kind === 'reset' ? t('desk:accounts.resetDone') : t('desk:invite.done')}</p><p><a class="button primary" href="/desk">{t('desk:signIn.title')}</a></p></section>;
  if (!invitation) return <section class="card"><h1>{t('desk:invite.title')}</h1>{error ? <p class="error" role="alert">{error}</p> : <p>{t('desk:working')}</p>}</section>;
  const field = (name: keyof typeof form) => ({
    id: `invite-${name}`, value: form[name], onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });
  return (
    <form onSubmit={submit} class="card">
      <h1>{invitation.kind === 'reset' ? t('desk:accounts.resetTitle') : t('desk:invite.title')}</h1>
      <p>{invitation.kind === 'reset' ? t('desk:accounts.resetIntro') : t('desk:invite.intro', { role: t(`desk:roles.${invitation.role}`) })}</p>
      <label for="invite-email">{t('desk:email')}</label>
      <input type="email" autoComplete="username" readOnly={Boolean(invitation.email)} {...field('email')} required />
      <label for="invite-password">{t('desk:password')}</label>
      <input type="password" autoComplete="new-password" {...field('password')} required />
      <label for="invite-repeat">{t('desk:repeatPassword')}</label>
      <input type="password" autoComplete="new-password" {...field('repeat')} required />
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('desk:working') : invitation.kind === 'reset' ? t('desk:accounts.resetAccept') : t('desk:invite.accept')}</button>
    </form>
  );
}
