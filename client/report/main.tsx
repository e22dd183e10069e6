// Entry of the public form. The server already painted the whole form as plain HTML; this turns
// it into the stepped app, keeping anything typed before the script arrived, and fetches the
// crypto library once the page is idle so it is ready by the time the person presses Send.
import { render } from 'preact';
import { EMPTY_FORM, readForm } from '../../protocol/report-form.ts';
import { App, type Boot } from './App.tsx';
import { FollowUpApp } from './FollowUpApp.tsx';
import { registerServiceWorker } from './service-worker-registration.ts';
import { loadEvidence } from './evidence-slot.tsx';
import './style.css';

const bootElement = document.getElementById('boot');
const root = document.getElementById('app');
if (bootElement && root) {
  const boot = JSON.parse(bootElement.textContent ?? '{}') as Boot;
  const plain = root.querySelector('form');
  const typed = plain ? new FormData(plain) : undefined;
  const initialForm = typed ? readForm((name) => typed.get(name)?.toString()) : EMPTY_FORM;
  root.textContent = '';
  render(boot.page === 'follow-up' ? <FollowUpApp boot={boot} /> : <App boot={boot} initialForm={initialForm} />, root);
  const evidenceTexts = (lang: string) => (boot.evidence ? [`/locales/evidence-${lang}.${boot.evidence.localeHash}.json`] : []);
  if (boot.page !== 'follow-up') {
    // The evidence code first (small: the attachments panel), then the crypto (large), then the
    // service worker, which finds both in the HTTP cache.
    const prefetch = () => void loadEvidence()
      .then(() => import('../../protocol/seal-report.ts'))
      .then((m) => m.warmUp())
      .then(() => registerServiceWorker(boot.lang, evidenceTexts));
    if ('requestIdleCallback' in window) requestIdleCallback(prefetch, { timeout: 2000 });
    else setTimeout(prefetch, 500);
  } else {
    void import('./follow-up-crypto.ts').then((m) => m.warmUp()).then(() => registerServiceWorker(boot.lang, evidenceTexts));
  }
}
