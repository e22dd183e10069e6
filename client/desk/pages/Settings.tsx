// My notification mails: each time, or one digest a day (urgent cases always at once), and their
// language. The mails never say what happened, only that the queue has something.
import { useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { Me } from '../../../protocol/desk-api.ts';
import type { NotifySettings } from '../../../protocol/remedy-api.ts';
import { LANGUAGES, NOTIFY_MODES } from '../../../protocol/taxonomy.ts';
import { api, errorText } from '../api.ts';

export function Settings({ t, me, onSaved }: { t: TFunction; me: Me; onSaved: (me: Me) => void }) {
  const [settings, setSettings] = useState<NotifySettings>({ mode: me.notify, language: me.notifyLanguage });
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  async function save(e: Event) {
    e.preventDefault();
    setStatus(''); setError('');
    try {
      const saved = await api<NotifySettings>('PUT', '/api/me/notifications', settings);
      onSaved({ ...me, notify: saved.mode, notifyLanguage: saved.language });
      setStatus(t('desk:remedy.settings.saved'));
    } catch (err) { setError(errorText(err)); }
  }

  return (
    <section>
      <h1>{t('desk:remedy.settings.title')}</h1>
      <form class="card" onSubmit={save}>
        <p class="hint">{t('desk:remedy.settings.intro')}</p>
        <fieldset>
          <legend>{t('desk:remedy.settings.mode')}</legend>
          {NOTIFY_MODES.map((mode) => (
            <label key={mode} class="check"><input type="radio" name="notify" checked={settings.mode === mode} onChange={() => setSettings({ ...settings, mode })} /> {t(`desk:remedy.settings.${mode}`)}</label>
          ))}
        </fieldset>
        <label for="notify-language">{t('desk:remedy.settings.language')}</label>
        <select id="notify-language" value={settings.language} onChange={(e) => setSettings({ ...settings, language: e.currentTarget.value as NotifySettings['language'] })}>
          {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.nativeName}</option>)}
        </select>
        <button type="submit" class="primary">{t('desk:remedy.save')}</button>
        <div aria-live="polite">{status && <p class="status">{status}</p>}</div>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </section>
  );
}
