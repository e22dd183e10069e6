// What every public page needs: the request's language (remembered when chosen with ?lang=), the
// frame (quick exit, language links), the boot data of the browser app, the "not open yet" page,
// and the response description for the OpenAPI document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Intake, ReportBoot } from '../../../protocol/api.ts';
import { LANG_COOKIE, type Locale } from '../../i18n.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { NotOpen } from './views.tsx';
import { evidenceBoot } from '../../services/intake.ts';

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
    reply.header('set-cookie', `${LANG_COOKIE}=${query}; Path=/; Max-Age=31536000; SameSite=Strict${app.config.tls ? '; Secure' : ''}`);
  }
  return app.locales.get(code);
}

export const frameOf = (app: FastifyInstance, locale: Locale) => ({ t: locale.t, lang: locale.code, quickExitUrl: app.config.quickExitUrl });

/** What the public form's (or follow-up page's) script starts from. */
export async function reportBoot(app: FastifyInstance, locale: Locale, intake: Intake, page?: 'follow-up'): Promise<ReportBoot> {
  return {
    ...(page ? { page } : {}),
    lang: locale.code as ReportBoot['lang'],
    resources: { report: locale.public.resources.report!, taxonomy: locale.public.resources.taxonomy! },
    intake: { routing: intake.routing, recovery: intake.recovery, receiptSalt: intake.receiptSalt },
    quickExitUrl: app.config.quickExitUrl,
    localeUrls: app.locales.urls(),
    evidence: await evidenceBoot(app.db, app.files, app.locales.evidenceHash),
  };
}

export function sendNotOpen(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, locale: Locale) {
  return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body: <NotOpen {...frameOf(app, locale)} /> }), 503);
}
