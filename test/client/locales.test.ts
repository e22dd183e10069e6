// Every locale has every key of English, keeps its placeholders, and is really translated.
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
/** Every language has every namespace: the public pages', the desk's and the statistics and register texts. */
const namespacesOf = (_lang: string) => ['report.json', 'taxonomy.json', 'errors.json', 'desk.json', 'accountability.json'];
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
        expect(Object.keys(other).sort(), `${lang}/${ns}`).toEqual(Object.keys(en).sort());
        let copies = 0;
        for (const [key, value] of Object.entries(en)) {
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
});
