// Server-side translations: loads every locale once, picks the request's language (?lang=, then
// the remembered choice, then Accept-Language), and serves each locale as one hashed JSON file.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { pickSupported, NAMESPACES, type Namespaces } from '../ui/i18n/index.ts';
import { createI18n } from '../ui/i18n/i18next.ts';
import { LANGUAGE_CODES } from '../protocol/taxonomy.ts';
import { compressOnce, type Compressed } from './compress.ts';

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
export const LANG_COOKIE = 'redress_lang';

/** Languages the desk (staff side) is offered in: all of them, like the public pages. */
export const DESK_LANGUAGES: readonly string[] = LANGUAGE_CODES;

/** A set of namespaces served as one JSON document at a content-hashed, immutable address. */
export interface Bundle { resources: Namespaces; json: Compressed; hash: string }

export interface Locale {
  code: string;
  resources: Namespaces;
  t: TFunction;
  /** What the public form needs (report, taxonomy, errors). */
  public: Bundle;
  /** What the desk needs (desk, taxonomy, errors), for the desk's languages. */
  desk?: Bundle;
  /** What the follow-up page fetches once a case is open: where it went and what that means (remedy). */
  remedy: Bundle;
}

function bundle(resources: Namespaces): Bundle {
  const json = JSON.stringify(resources);
  return { resources, json: compressOnce(json), hash: createHash('sha256').update(json).digest('hex').slice(0, 12) };
}

function loadLocale(code: string): Locale {
  const resources: Namespaces = {};
  for (const ns of [...NAMESPACES, 'desk', 'remedy']) {
    const file = join(LOCALES_DIR, code, `${ns}.json`);
    if (existsSync(file)) resources[ns] = JSON.parse(readFileSync(file, 'utf8'));
  }
  const { report = {}, taxonomy = {}, errors = {}, desk, remedy = {} } = resources;
  return {
    code, resources, t: createI18n(code, resources).t,
    public: bundle({ report, taxonomy, errors }),
    remedy: bundle({ remedy }),
    desk: desk && DESK_LANGUAGES.includes(code) ? bundle({ desk, taxonomy, errors }) : undefined,
  };
}

export class Locales {
  private readonly byCode = new Map<string, Locale>();

  constructor() {
    const present = new Set(readdirSync(LOCALES_DIR));
    for (const code of LANGUAGE_CODES) if (present.has(code)) this.byCode.set(code, loadLocale(code));
  }

  get(code: string): Locale {
    return this.byCode.get(code) ?? this.byCode.get('en')!;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  urls(): Record<string, string> {
    return Object.fromEntries([...this.byCode.values()].map((l) => [l.code, `/locales/${l.code}.${l.public.hash}.json`]));
  }

  deskUrls(): Record<string, string> {
    return Object.fromEntries([...this.byCode.values()].filter((l) => l.desk).map((l) => [l.code, `/locales/desk-${l.code}.${l.desk!.hash}.json`]));
  }

  /** The language for a request: ?lang= first, then the remembered choice, then Accept-Language. */
  pick(req: FastifyRequest, among: readonly string[] = LANGUAGE_CODES, cookieName = 'redress_lang'): string {
    const allowed = (code: string | undefined): code is string => Boolean(code && this.has(code) && among.includes(code));
    const query = (req.query as Record<string, unknown> | undefined)?.lang;
    if (typeof query === 'string' && allowed(query)) return query;
    const cookie = new RegExp(`(?:^|;\\s*)${cookieName}=([a-z]{2,3})`).exec(req.headers.cookie ?? '')?.[1];
    if (allowed(cookie)) return cookie;
    const accepted = (req.headers['accept-language'] ?? '')
      .split(',')
      .map((part) => {
        const [tag, q] = part.trim().split(';q=');
        return { tag: tag ?? '', q: q === undefined ? 1 : Number(q) || 0 };
      })
      .filter((p) => p.tag && p.q > 0)
      .sort((a, b) => b.q - a.q)
      .map((p) => p.tag);
    const picked = pickSupported(accepted.filter((tag) => among.includes(tag.toLowerCase().split(/[-_]/)[0] ?? '')));
    return picked ?? 'en';
  }
}
