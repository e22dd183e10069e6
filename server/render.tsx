// Renders public HTML pages on the server with Preact: the same components as the app, in the
// request's language, linking the hashed assets from Vite's manifest. The page data the app needs
// travels as inline JSON (not executed, so the CSP needs no 'unsafe-inline').
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { languageDir } from '../protocol/taxonomy.ts';
import type { Locale } from './i18n.ts';
import { sendCompressed } from './compress.ts';

export interface Assets {
  /** Script, its static imports and stylesheets of an entry; nothing when the client is not built. */
  entry(name: string): { script?: string; preload: string[]; styles: string[] };
  /** Every file an entry may load, lazy chunks included (what the service worker keeps, §25.4). */
  reachable(name: string): string[];
}

interface ManifestChunk { file: string; css?: string[]; isEntry?: boolean; name?: string; imports?: string[]; dynamicImports?: string[] }

export function loadAssets(clientDir: string): Assets {
  const path = join(clientDir, '.vite', 'manifest.json');
  const manifest: Record<string, ManifestChunk> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  return {
    entry(name) {
      const chunk = Object.values(manifest).find((c) => c.isEntry && c.name === name);
      if (!chunk) return { preload: [], styles: [] };
      // Chunks the entry imports are announced up front: on 2G a discovered import costs a round trip.
      const preload = (chunk.imports ?? []).map((key) => manifest[key]).filter(Boolean).map((c) => `/${c!.file}`);
      return { script: `/${chunk.file}`, preload, styles: (chunk.css ?? []).map((c) => `/${c}`) };
    },
    reachable(name) {
      const start = Object.keys(manifest).find((key) => manifest[key]!.isEntry && manifest[key]!.name === name);
      const seen = new Set<string>();
      const files = new Set<string>();
      const visit = (key: string) => {
        const chunk = manifest[key];
        if (!chunk || seen.has(key)) return;
        seen.add(key);
        files.add(`/${chunk.file}`);
        for (const css of chunk.css ?? []) files.add(`/${css}`);
        for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next);
      };
      if (start) visit(start);
      return [...files];
    },
  };
}

const escapeJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

interface PageOptions {
  locale: Locale;
  assets: Assets;
  body: VNode;
  /** Data for the browser app; without it the page is plain HTML with no script. */
  boot?: unknown;
  /** Which browser app: the public form (default), the desk, or the accountability page (a stylesheet only). */
  entry?: 'report' | 'desk' | 'accountability';
  /** The element the app renders into. */
  rootId?: string;
  /**
   * Whether search engines may list the page, with a description in its language. Only the
   * form and the follow-up page: people who need Redress must be able to find it, and neither
   * page holds anything of a report. Answers to a submission, the not-open page and the desk
   * stay out of search results.
   */
  indexable?: boolean;
}

export function renderPage({ locale, assets, body, boot, entry = 'report', rootId = 'app', indexable = false }: PageOptions): string {
  const { script, preload, styles } = assets.entry(entry);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    indexable ? `<meta name="description" content="${escapeAttr(locale.t('metaDescription'))}">` : '<meta name="robots" content="noindex">',
    `<title>${escapeAttr(locale.t('appName'))}</title>`,
    ...styles.map((href) => `<link rel="stylesheet" href="${href}">`),
    boot !== undefined && script ? `<script type="module" src="${script}"></script>` : '',
    ...(boot !== undefined ? preload.map((href) => `<link rel="modulepreload" href="${href}">`) : []),
  ].join('');
  const bootJson = boot !== undefined ? `<script type="application/json" id="boot">${escapeJson(boot)}</script>` : '';
  return `<!doctype html><html lang="${locale.code}" dir="${languageDir(locale.code)}"><head>${head}</head>` +
    `<body><div id="${rootId}">${renderToString(body)}</div>${bootJson}</body></html>`;
}

export function sendHtml(req: FastifyRequest, reply: FastifyReply, html: string, status = 200) {
  return sendCompressed(req, reply, html, 'text/html; charset=utf-8', status);
}
