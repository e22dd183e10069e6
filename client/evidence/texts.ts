// The evidence texts (locales/<lang>/evidence.json) are fetched with the evidence code, not with
// the form: the first paint stays within its budget. Cached per language for the page's life.
import { useEffect, useState } from 'preact/hooks';
import type { Namespaces, Translate } from '../../ui/i18n/index.ts';
import { createTranslate } from '../../ui/i18n/translate.ts';

const loaded = new Map<string, Promise<Record<string, unknown>>>();

export function evidenceUrl(lang: string, hash: string): string {
  return `/locales/evidence-${lang}.${hash}.json`;
}

function load(lang: string, hash: string) {
  let found = loaded.get(lang);
  if (!found) {
    found = fetch(evidenceUrl(lang, hash)).then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
    loaded.set(lang, found);
  }
  return found;
}

/** The page's translator, plus `evidence:` keys once they have arrived (until then, empty). */
export function useEvidenceTexts(lang: string, hash: string, page: Translate): Translate {
  const [evidence, setEvidence] = useState<Translate | null>(null);
  useEffect(() => {
    let live = true;
    void load(lang, hash).then((bundle) => { if (live) setEvidence(() => createTranslate(bundle as Namespaces, 'evidence')); });
    return () => { live = false; };
  }, [lang, hash]);
  return (key, vars) => (key.startsWith('evidence:') ? (evidence ? evidence(key, vars) : '') : page(key, vars));
}
