// What every public page needs: the request's language (remembered when chosen with ?lang=), the
// frame (quick exit, language links), the boot data of the browser app, the "not open yet" page,
// and the response description for the OpenAPI document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Intake, ReportBoot } from '../../../protocol/api.ts';
import { LANG_COOKIE, type Locale } from '../../i18n.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { NotOpen } from './views.tsx';

/** Response of a page route, for the OpenAPI document (HTML is not serialised through a schema). */
export const HtmlPage = {
  200: { description: 'An HTML page in the request\'s language', content: { 'text/html': { schema: Type.String() } } },
  503: { description: 'Not set up yet: the "not open yet" page', content: { 'text/html': { schema: Type.String() } } },
};

/** The page's language: the form's own choice, else ?lang=, the remembered choice, Accept-Language. */
export function localeFor(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, chosen?: string): Locale {
  const code = chosen && app.locales.has(chosen) ? chosen : app.locales.pick(req);
  const query = (req.query as { lang?: string } | undefined)?.lang;
  if (query && app.locales.has(query)) {
    // A session cookie, not a lasting one: a shared phone must not keep a sign that the site was visited.
    reply.header('set-cookie', `${LANG_COOKIE}=${query}; Path=/; SameSite=Strict${app.config.tls ? '; Secure' : ''}`);
  }
  return app.locales.get(code);
}

export const frameOf = (app: FastifyInstance, locale: Locale) => ({ t: locale.t, lang: locale.code, quickExitUrl: app.config.quickExitUrl });

/**
 * Each page ships only the texts it can show (the budget is 30 KB to a usable form in every
 * language): the form leaves out the follow-up page's texts, the follow-up page the form's steps
 * and the taxonomy. Switching language in the app loads the whole public bundle.
 */
const NOT_IN_THE_APP = ['followUp', 'nojs', 'notOpen'];
const FORM_ONLY = ['steps', 'what', 'where', 'who', 'story', 'contact', 'consent', 'receipt', 'nojs', 'errors', 'notOpen'];
const without = (texts: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(texts).filter(([k]) => !keys.includes(k)));

/** What the public form's (or follow-up page's) script starts from. */
export function reportBoot(app: FastifyInstance, locale: Locale, intake: Intake, page?: 'follow-up'): ReportBoot {
  const { report = {}, taxonomy = {} } = locale.public.resources;
  return {
    ...(page ? { page } : {}),
    lang: locale.code as ReportBoot['lang'],
    resources: page === 'follow-up' ? { report: without(report, FORM_ONLY), taxonomy: {} } : { report: without(report, NOT_IN_THE_APP), taxonomy },
    intake: { routing: intake.routing, recovery: intake.recovery, receiptSalt: intake.receiptSalt },
    quickExitUrl: app.config.quickExitUrl,
    localeUrls: app.locales.urls(),
  };
}

export function sendNotOpen(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, locale: Locale) {
  return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <NotOpen {...frameOf(app, locale)} /> }), 503);
}
