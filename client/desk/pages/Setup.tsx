// First-run setup in the browser: the organisation's keys are made here (protocol/setup.ts), the
// recovery kit is shown once to print or save, and the server receives only public material.
import { useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import { buildSetupBundle, checkSetupInput } from '../../../protocol/setup.ts';
import { api, errorText } from '../api.ts';

export function Setup({ t, token }: { t: TFunction; token: string }) {
  const [form, setForm] = useState({ org: '', email: '', password: '', repeat: '' });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [kit, setKit] = useState('');
  const [saved, setSaved] = useState(false);
  const field = (name: keyof typeof form) => ({
    id: `setup-${name}`, value: form[name], onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  async function submit(e: Event) {
    e.preventDefault();
    const problem = checkSetupInput({ organisationName: form.org, adminEmail: form.email, password: form.password });
    if (problem) return setError(t(`errors:${problem}`));
    if (form.password !== form.repeat) return setError(t('desk:passwordsDiffer'));
    setBusy(true);
    setError('');
    try {
      const { bundle, recoveryKit } = await buildSetupBundle({ organisationName: form.org, adminEmail: form.email, password: form.password });
      await api('POST', '/api/setup', { token, bundle });
      setKit(recoveryKit);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (kit) {
    const href = URL.createObjectURL(new Blob([kit], { type: 'text/plain' }));
    return (
      <section>
        <h1>{t('desk:setup.kitTitle')}</h1>
        <p class="warning">{t('desk:setup.kitWarning')}</p>
        <pre class="kit" data-testid="recovery-kit">{kit}</pre>
        <p><a href={href} download="redress-recovery-kit.txt">{t('desk:setup.download')}</a></p>
        <label class="check"><input type="checkbox" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} /> {t('desk:setup.savedIt')}</label>
        <p><a class={saved ? 'button primary' : 'button disabled'} aria-disabled={!saved} href={saved ? '/desk' : undefined}>{t('desk:setup.continue')}</a></p>
      </section>
    );
  }
  return (
    <form onSubmit={submit} class="card">
      <h1>{t('desk:setup.title')}</h1>
      <p>{t('desk:setup.intro')}</p>
      <label for="setup-org">{t('desk:setup.organisation')}</label>
      <input {...field('org')} required />
      <label for="setup-email">{t('desk:setup.adminEmail')}</label>
      <input type="email" autoComplete="username" {...field('email')} required />
      <label for="setup-password">{t('desk:password')}</label>
      <input type="password" autoComplete="new-password" minLength={12} {...field('password')} required />
      <label for="setup-repeat">{t('desk:repeatPassword')}</label>
      <input type="password" autoComplete="new-password" {...field('repeat')} required />
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('desk:working') : t('desk:setup.create')}</button>
    </form>
  );
}
