// Entry of the public form. The server already painted the whole form as plain HTML; this turns
// it into the stepped app, keeping anything typed before the script arrived, and readies the
// crypto library after the first touch, so it is ready by the time the person presses Send.
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
  // Once the page is idle: the service worker, which fetches and keeps the scripts (libsodium
  // included) in its own thread, and on the form the evidence code (small: the attachments panel).
  // libsodium is only run (a long task: its WebAssembly compiled) at the person's first touch or
  // key, minutes before they can press Send, so it never holds up the page while it first shows.
  whenIdle(() => {
    registerServiceWorker(boot.lang, evidenceTexts);
    if (boot.page !== 'follow-up') void loadEvidence();
  });
  onFirstInteraction(() => whenIdle(() => {
    if (boot.page === 'follow-up') void import('./follow-up-crypto.ts').then((m) => m.warmUp());
    else void import('../../protocol/seal-report.ts').then((m) => m.warmUp());
  }));
}

function whenIdle(task: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 500);
}

/** Runs `task` once, at the first pointer press or key on the page. */
function onFirstInteraction(task: () => void): void {
  const events = ['pointerdown', 'keydown'] as const;
  const once = () => {
    for (const type of events) removeEventListener(type, once, true);
    task();
  };
  for (const type of events) addEventListener(type, once, { capture: true, passive: true });
}
