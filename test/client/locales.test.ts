// Every locale has every key of English, keeps its placeholders, is really translated, has the
// plural forms its language needs (CLDR, from the platform's Intl.PluralRules), and translates
// keys that share an English text the same way (so they never drift apart in meaning).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '../../protocol/taxonomy.ts';
import { HARM_CATEGORY_IDS, SYSTEM_TYPES } from '../../protocol/taxonomy.ts';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flatten(v, `${prefix}${k}.`))));
const load = (lang: string, ns: string) => flatten(JSON.parse(readFileSync(join('locales', lang, ns), 'utf8')));
/** Every language has every namespace: the public pages', the follow-up page's remedy texts and the desk's. */
const namespacesOf = (_lang: string) => ['report.json', 'taxonomy.json', 'errors.json', 'desk.json', 'remedy.json'];
/** i18next plural keys: `key_one`, `key_other`, … (CLDR categories). */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const singular = (key: string) => key.replace(PLURAL, '');
const unique = (key: string, i: number, all: string[]) => all.indexOf(key) === i;
const allNamespaces = (lang: string) => Object.fromEntries(namespacesOf(lang).flatMap((ns) =>
  Object.entries(load(lang, ns)).map(([k, v]) => [`${ns}:${k}`, v])));

/** Values that are the same in every language on purpose. */
const SAME_EVERYWHERE = new Set(['appName']);

describe('locales', () => {
  it('knows every namespace English has', () => {
    expect(readdirSync('locales/en').filter((f) => f.endsWith('.json')).sort()).toEqual(namespacesOf('en').sort());
  });

  it('has a folder for every language of the form', () => {
    for (const lang of LANGUAGE_CODES) expect(readdirSync('locales')).toContain(lang);
  });

  for (const lang of LANGUAGE_CODES.filter((l) => l !== 'en')) {
    it(`${lang} has every key, the same placeholders, and translated text`, () => {
      expect(readdirSync(join('locales', lang)).filter((f) => f.endsWith('.json')).sort()).toEqual(namespacesOf(lang).sort());
      for (const ns of namespacesOf(lang)) {
        const en = load('en', ns);
        const other = load(lang, ns);
        expect(Object.keys(other).map(singular).filter(unique).sort(), `${lang}/${ns}`).toEqual(Object.keys(en).map(singular).filter(unique).sort());
        let copies = 0;
        for (const [key, value] of Object.entries(en).filter(([k]) => !PLURAL.test(k))) {
          const placeholders = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
          expect(placeholders(other[key]!), `${lang}/${ns}:${key}`).toEqual(placeholders(value));
          expect(other[key]!.trim(), `${lang}/${ns}:${key}`).not.toBe('');
          if (other[key] === value && !SAME_EVERYWHERE.has(key)) copies++;
        }
        // A word like "No" may coincide; a copied file may not.
        expect(copies, `${lang}/${ns} values identical to English`).toBeLessThanOrEqual(2);
      }
    });
  }

  it('names every harm category and system type of the taxonomy', () => {
    const en = load('en', 'taxonomy.json');
    for (const id of HARM_CATEGORY_IDS) expect(en[`category.${id}`]).toBeTruthy();
    for (const id of SYSTEM_TYPES) expect(en[`systemType.${id}`]).toBeTruthy();
  });

  for (const lang of LANGUAGE_CODES) {
    it(`${lang} has exactly the plural forms its language needs`, () => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
      const en = allNamespaces('en');
      const other = allNamespaces(lang);
      const pluralBases = Object.keys(en).filter((k) => PLURAL.test(k)).map(singular).filter(unique);
      for (const base of pluralBases) {
        const forms = Object.keys(other).filter((k) => singular(k) === base && PLURAL.test(k)).map((k) => PLURAL.exec(k)![1]).sort();
        expect(forms, `${lang} ${base}`).toEqual(needed);
        for (const form of forms) expect(other[`${base}_${form}`]!.trim(), `${lang} ${base}_${form}`).not.toBe('');
      }
    });

    it(`${lang} translates keys that share an English text the same way`, () => {
      const en = allNamespaces('en');
      const other = allNamespaces(lang);
      const byText = new Map<string, string[]>();
      for (const [key, text] of Object.entries(en)) byText.set(text, [...(byText.get(text) ?? []), key]);
      for (const keys of byText.values()) {
        if (keys.length < 2) continue;
        expect(new Set(keys.map((k) => other[k])).size, `${lang}: ${keys.join(', ')}`).toBe(1);
      }
    });
  }
});
