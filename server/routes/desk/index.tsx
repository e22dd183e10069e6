// The desk's pages: one HTML shell for /desk, /desk/setup and /desk/invite, in the desk's
// languages (English, French, Arabic). Everything else happens in the desk app and its API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGES } from '../../../protocol/taxonomy.ts';
import { DESK_LANGUAGES } from '../../i18n.ts';
import type { DeskBoot } from '../../../protocol/api.ts';
import { PUBLIC } from '../../plugins/auth.ts';
import { renderPage, sendHtml } from '../../render.tsx';
import { HtmlPage } from '../pages/page-kit.tsx';

export default async function deskPages(app: FastifyInstance) {
  async function shell(req: FastifyRequest, reply: FastifyReply) {
    const locale = app.locales.get(app.locales.pick(req, DESK_LANGUAGES, 'redress_desk_lang'));
    const boot: DeskBoot = {
      lang: locale.code as DeskBoot['lang'],
      resources: locale.desk!.resources,
      localeUrls: app.locales.deskUrls(),
      languages: LANGUAGES.filter((l) => DESK_LANGUAGES.includes(l.code)).map(({ code, nativeName }) => ({ code, nativeName })),
    };
    const body = <noscript><p>{locale.t('desk:needsJavaScript')}</p></noscript>;
    return sendHtml(req, reply, renderPage({ locale, assets: app.assets, body, boot, entry: 'desk', rootId: 'desk' }));
  }
  const route = { config: PUBLIC, schema: { summary: 'The desk (a script app; sign-in happens in its API)', response: { 200: HtmlPage[200] } } };
  app.get('/desk', route, shell);
  app.get('/desk/setup', route, shell);
  app.get('/desk/invite', route, shell);
}
