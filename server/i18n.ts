// Server-side translations: loads every locale once, picks the request's language (?lang=, then
// the remembered choice, then Accept-Language), and serves each locale as one hashed JSON file.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { createI18n, pickSupported, NAMESPACES, type Namespaces } from '../client/i18n/index.ts';
import { LANGUAGE_CODES } from '../protocol/taxonomy.ts';
import { compressOnce, type Compressed } from './render.tsx';

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
export const LANG_COOKIE = 'redress_lang';

export interface Locale {
  code: string;
  resources: Namespaces;
  t: TFunction;
  /** Public namespaces as one JSON document, and its content hash for an immutable URL. */
  json: Compressed;
  hash: string;
}

function loadLocale(code: string): Locale {
  const resources: Namespaces = {};
  for (const ns of NAMESPACES) {
    const file = join(LOCALES_DIR, code, `${ns}.json`);
    resources[ns] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  }
  const json = JSON.stringify(resources);
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 12);
  return { code, resources, t: createI18n(code, resources).t, json: compressOnce(json), hash };
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
    return Object.fromEntries([...this.byCode.values()].map((l) => [l.code, `/locales/${l.code}.${l.hash}.json`]));
  }

  /** The language for a request: ?lang= first, then the remembered choice, then Accept-Language. */
  pick(req: FastifyRequest): string {
    const query = (req.query as Record<string, unknown> | undefined)?.lang;
    if (typeof query === 'string' && this.has(query)) return query;
    const cookie = /(?:^|;\s*)redress_lang=([a-z]{2,3})/.exec(req.headers.cookie ?? '')?.[1];
    if (cookie && this.has(cookie)) return cookie;
    const accepted = (req.headers['accept-language'] ?? '')
      .split(',')
      .map((part) => {
        const [tag, q] = part.trim().split(';q=');
        return { tag: tag ?? '', q: q === undefined ? 1 : Number(q) || 0 };
      })
      .filter((p) => p.tag && p.q > 0)
      .sort((a, b) => b.q - a.q)
      .map((p) => p.tag);
    return pickSupported(accepted) ?? 'en';
  }
}
