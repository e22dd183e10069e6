// The public pages' translator reads the same locale files as i18next and gives the same texts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../ui/i18n/translate.ts';
import { createI18n } from '../../ui/i18n/i18next.ts';

const load = (lang: string) => Object.fromEntries(['report', 'taxonomy', 'errors'].map((ns) => [ns, JSON.parse(readFileSync(`locales/${lang}/${ns}.json`, 'utf8'))]));

describe('translate', () => {
  it('agrees with i18next on every key of every namespace, placeholders filled', () => {
    for (const lang of ['en', 'ar', 'ti']) {
      const resources = load(lang);
      const ours = createTranslate(resources);
      const theirs = createI18n(lang, resources).t;
      const walk = (ns: string, tree: Record<string, unknown>, prefix = ''): void => {
        for (const [k, v] of Object.entries(tree)) {
          const key = `${prefix}${k}`;
          if (typeof v === 'object' && v) walk(ns, v as Record<string, unknown>, `${key}.`);
          else expect(ours(`${ns}:${key}`, { current: 2, total: 7, max: 300 }), `${lang} ${ns}:${key}`).toBe(theirs(`${ns}:${key}`, { current: 2, total: 7, max: 300 }));
        }
      };
      for (const [ns, tree] of Object.entries(resources)) walk(ns, tree as Record<string, unknown>);
    }
  });

  it('uses the report namespace by default and returns the key when a text is missing', () => {
    const t = createTranslate(load('en'));
    expect(t('steps.progress', { current: 1, total: 7 })).toBe('Step 1 of 7');
    expect(t('taxonomy:category.pushback')).toMatch(/pushed back/);
    expect(t('nope.missing')).toBe('nope.missing');
    expect(t('nope.missing', { defaultValue: 'fallback' })).toBe('fallback');
  });
});
