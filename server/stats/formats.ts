// A publication as a file: JSON (the publication itself), or one long CSV of every table's rows
// (UTF-8 with a byte-order mark so spreadsheet programs read it as UTF-8, CRLF line ends), with an
// HXL hashtag row under the header for humanitarian data tools.
import type { ExportFormat, Publication, StatDimension } from '../../protocol/stats-api.ts';
import { STAT_DIMENSIONS } from '../../protocol/stats-api.ts';

/** HXL hashtags (core hashtags and attributes, hxlstandard.org) of each CSV column. */
export const HXL_TAGS: Record<'table' | StatDimension | 'count' | 'median_days', string> = {
  table: '#meta+table',
  country: '#country+code',
  quarter: '#date+quarter',
  year: '#date+year',
  harm_category: '#meta+category',
  system_type: '#meta+system',
  deployer_class: '#org+type+deployer',
  outcome: '#status+outcome',
  pathway_kind: '#org+type+remedy',
  referral_event: '#status+referral',
  sensitive_group: '#meta+category+sensitive',
  deployment: '#meta+deployment',
  measure: '#meta+measure',
  count: '#indicator+num',
  median_days: '#indicator+median+days',
};

export const CSV_COLUMNS = ['table', ...STAT_DIMENSIONS, 'count', 'median_days'] as const;

const BOM = '\ufeff';

/** RFC 4180 quoting; a value starting with = + - @ is quoted and prefixed so no spreadsheet runs it. */
function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(publication: Publication, hxl: boolean): string {
  const lines = [CSV_COLUMNS.join(',')];
  if (hxl) lines.push(CSV_COLUMNS.map((c) => HXL_TAGS[c]).join(','));
  for (const table of publication.tables) {
    for (const row of table.rows) {
      lines.push(CSV_COLUMNS.map((c) => field(c === 'table' ? table.id : row[c])).join(','));
    }
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export function toJson(publication: Publication): string {
  return `${JSON.stringify(publication, null, 1)}\n`;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  hxl: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export function fileName(format: ExportFormat, asOf: string): string {
  return `redress-statistics-${asOf}${format === 'hxl' ? '-hxl.csv' : format === 'csv' ? '.csv' : '.json'}`;
}

export function render(publication: Publication, format: ExportFormat): string {
  return format === 'json' ? toJson(publication) : toCsv(publication, format === 'hxl');
}
