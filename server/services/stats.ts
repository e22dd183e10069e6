// Statistics for the desk, the CLI and the public page: what a request may ask for (the fixed
// tables, released whole quarters, a stricter k, a past day), refused with a stable code and
// audited when it asks for anything else; every publication handed to a person is audited.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { organisation } from '../../db/schema.ts';
import {
  EXPORT_FORMATS, QUARTER_PATTERN, STAT_TABLES, type ExportFormat, type ExportQuery, type Publication, type StatsQuery,
  type StatsSettings, type StatTableId,
} from '../../protocol/stats-api.ts';
import type { Config } from '../config.ts';
import type { Store } from '../state.ts';
import { AppError } from '../errors.ts';
import { mapError } from '../plugins/errors.ts';
import { latestReleased, nextQuarter, releaseDay, today as todayUtc } from '../stats/calendar.ts';
import { CONTENT_TYPES, fileName, render } from '../stats/formats.ts';
import { buildPublication, type PublicationRequest } from '../stats/publication.ts';
import { appendAudit } from './audit.ts';
import { getOrganisation, invalidateOrganisation } from './organisation.ts';

type StatsConfig = Pick<Config, 'statsK' | 'statsEmbargoDays'>;
export interface StatsFile { body: string; contentType: string; fileName: string; format: ExportFormat }

const DAY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const isDay = (value: string) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/**
 * What a query asks for, checked: only the fixed tables; from/to whole released quarters (a range
 * of days could isolate a few cases); asOf a real day, not after today (published quarters only);
 * k a multiple of 5 at least the organisation's.
 */
export function readStatsQuery(config: StatsConfig, query: StatsQuery, today: string, allowFuture = false): Omit<PublicationRequest, 'organisation' | 'today'> {
  const tables = query.tables?.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tables?.find((t) => !(STAT_TABLES as readonly string[]).includes(t));
  if (unknown !== undefined) throw new AppError(400, 'unknown_table', 'tables');
  if (query.asOf !== undefined && !isDay(query.asOf)) throw new AppError(400, 'invalid_date', 'asOf');
  const asOf = query.asOf ?? today;
  if (asOf > today && !allowFuture) throw new AppError(400, 'as_of_in_future', 'asOf');
  let k = config.statsK;
  if (query.k !== undefined) {
    if (!/^[0-9]{1,3}$/.test(query.k)) throw new AppError(400, 'invalid_k', 'k');
    k = Number(query.k);
    if (k < config.statsK) throw new AppError(400, 'k_below_minimum', 'k');
    if (k % 5 !== 0 || k > 100) throw new AppError(400, 'invalid_k', 'k');
  }
  const latest = latestReleased(asOf, config.statsEmbargoDays);
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value === undefined) continue;
    if (!QUARTER_PATTERN.test(value)) throw new AppError(400, 'range_not_allowed', field);
    if (value > latest) throw new AppError(400, 'quarter_embargoed', field);
  }
  if (query.from && query.to && query.from > query.to) throw new AppError(400, 'range_not_allowed', 'from');
  return { asOf, baseK: config.statsK, k, embargoDays: config.statsEmbargoDays, tables: tables as StatTableId[] | undefined, from: query.from, to: query.to };
}

const requestDetail = (query: ExportQuery) => ({
  tables: query.tables ?? 'all', from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, k: query.k ?? null,
});

/** Runs `fn`, or audits the refusal (with its code, never the values) and rethrows it. */
function refusedAudited<T>(db: Db, actor: string, validationError: Error | undefined, fn: () => T): T {
  try {
    if (validationError) throw validationError;
    return fn();
  } catch (err) {
    const { statusCode, code, field } = mapError(err as AppError);
    if (statusCode < 500) appendAudit(db, { at: new Date().toISOString(), actor, action: 'stats.refused', detail: { code, field: field ?? null } });
    throw err;
  }
}

function publish(db: Db, config: StatsConfig, query: StatsQuery, allowFuture = false): Publication {
  const today = todayUtc();
  const request = readStatsQuery(config, query, today, allowFuture);
  return buildPublication(db, { ...request, organisation: getOrganisation(db)?.name ?? '', today });
}

/** The tables the desk shows (analysts and admins), audited like any export. */
export function deskPublication(db: Db, config: StatsConfig, actor: string, query: StatsQuery, validationError?: Error): Publication {
  return refusedAudited(db, actor, validationError, () => {
    const publication = publish(db, config, query);
    appendAudit(db, { at: new Date().toISOString(), actor, action: 'stats.exported', detail: { format: 'view', ...requestDetail(query) } });
    return publication;
  });
}

/** An export as a file, for the desk's downloads and the CLI. */
export function exportStats(db: Db, config: StatsConfig, actor: string, query: ExportQuery, validationError?: Error, allowFuture = false): StatsFile {
  return refusedAudited(db, actor, validationError, () => {
    const format = (query.format ?? 'csv') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new AppError(400, 'unknown_export_format', 'format');
    const { format: _, ...rest } = query;
    const publication = publish(db, config, rest, allowFuture);
    const file = { body: render(publication, format), contentType: CONTENT_TYPES[format], fileName: fileName(format, publication.asOf), format };
    appendAudit(db, { at: new Date().toISOString(), actor, action: 'stats.exported', detail: { format, ...requestDetail(rest) } });
    return file;
  });
}

/**
 * The operator's export (`npm run cli -- export-stats`): like the desk's, except that --as-of may be
 * any day, past or future: quarters released by then are counted as the cases are now.
 */
export function cliExport(db: Db, config: StatsConfig, format: string, asOf: string | undefined): StatsFile {
  return exportStats(db, config, 'cli', { format, asOf }, undefined, true);
}

/** What the public page publishes, today, at the organisation's k; null when the page is off. */
export function publicPublication(db: Db, config: StatsConfig): Publication | null {
  if (!getOrganisation(db)?.accountabilityPage) return null;
  return publish(db, config, {});
}

/**
 * A download from the public page (null when the page is off). Audited once per format and day:
 * anyone may download, and the hash-chained log must not grow with every anonymous request.
 */
export function publicExport(db: Db, config: StatsConfig, format: ExportFormat, audited: Store<number>): StatsFile | null {
  const publication = publicPublication(db, config);
  if (!publication) return null;
  const key = `${format}|${publication.asOf}`;
  if (!audited.get(key)) {
    appendAudit(db, { at: new Date().toISOString(), actor: 'public', action: 'stats.exported', detail: { format, asOf: publication.asOf } });
    audited.set(key, 1);
  }
  return { body: render(publication, format), contentType: CONTENT_TYPES[format], fileName: fileName(format, publication.asOf), format };
}

export function statsSettings(db: Db, config: StatsConfig, today = todayUtc()): StatsSettings {
  const latest = latestReleased(today, config.statsEmbargoDays);
  const next = nextQuarter(latest);
  return {
    publicPage: Boolean(getOrganisation(db)?.accountabilityPage), k: config.statsK, embargoDays: config.statsEmbargoDays,
    latestQuarter: latest, nextRelease: { quarter: next, on: releaseDay(next, config.statsEmbargoDays) },
  };
}

/** Turns the public page on or off (admins), audited with the change. */
export function setPublicPage(db: Db, config: StatsConfig, actor: string, on: boolean): StatsSettings {
  if (!getOrganisation(db)) throw new AppError(503, 'not_open');
  db.transaction((tx) => {
    tx.update(organisation).set({ accountabilityPage: on }).where(eq(organisation.id, 1)).run();
    appendAudit(tx, { at: new Date().toISOString(), actor, action: 'stats.public_page_changed', detail: { on } });
  });
  invalidateOrganisation(db);
  return statsSettings(db, config);
}
