// Reads a pathway directory file (a JSON array like db/seed/pathways.json) and checks every entry
// against protocol/remedy-api.ts plus what a schema cannot say: URLs parse, e-mail addresses look
// like ones, the checked day is real and past, ids are unique. The first problem is named with its
// line in the file, so whoever edits the file can go straight to it; nothing is half-accepted.
import { Value } from 'typebox/value';
import { PathwayEntry } from '../../protocol/remedy-api.ts';

export type PathwayFileResult =
  | { ok: true; entries: PathwayEntry[] }
  | { ok: false; line: number | null; id: string | null; field: string | null; problem: string };

/** Fields an entry may mark as unverified. */
const CHECKABLE = new Set([
  'name', 'whoMayComplain', 'about', 'countries', 'deployers', 'harmCategories', 'urgent', 'deadline', 'deadline.months',
  'deadline.text', 'languages', 'how', 'how.web', 'how.email', 'how.postal', 'cost', 'lawyerNeeded', 'canAchieve', 'typicalTime',
]);

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** Where each element of the top-level array starts (offsets of its opening brace). */
export function entryOffsets(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (c === '{' && depth === 1) starts.push(i);
      depth++;
    } else if (c === '}' || c === ']') depth--;
  }
  return starts;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.') && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** The first thing wrong with an entry's values beyond its shape, as [field, problem]. */
function valueProblem(entry: PathwayEntry, today: string): [string, string] | null {
  if (entry.how.web !== null && !isHttpUrl(entry.how.web)) return ['how.web', 'is not an http(s) URL'];
  if (entry.how.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(entry.how.email)) return ['how.email', 'is not an e-mail address'];
  const badSource = entry.sources.findIndex((s) => !isHttpUrl(s.url));
  if (badSource >= 0) return [`sources.${badSource}.url`, 'is not an http(s) URL'];
  const checked = Date.parse(`${entry.checked}T00:00:00Z`);
  if (Number.isNaN(checked) || new Date(checked).toISOString().slice(0, 10) !== entry.checked) return ['checked', 'is not a real day'];
  if (entry.checked > today) return ['checked', 'is in the future'];
  const unknown = entry.unverified.find((f) => !CHECKABLE.has(f));
  if (unknown) return ['unverified', `names a field that does not exist: ${unknown}`];
  return null;
}

const valueAt = (value: unknown, path: string): unknown =>
  path.split('.').filter(Boolean).reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);

/** The first schema error of a value, as [dotted field, problem]. */
function shapeProblem(value: unknown): [string, string] {
  const [error] = Value.Errors(PathwayEntry, value);
  if (!error) return ['', 'is not valid'];
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const params = error.params as { requiredProperties?: string[]; additionalProperties?: string[] };
  if (error.keyword === 'required') return [[path, params.requiredProperties?.[0]].filter(Boolean).join('.'), 'is missing'];
  if (error.keyword === 'additionalProperties' || error.keyword === 'boolean') {
    return [[path, params.additionalProperties?.[0]].filter(Boolean).join('.'), 'is not a known field'];
  }
  if (error.keyword === 'enum') return [path, `is not one of the known values (${JSON.stringify(valueAt(value, path))})`];
  return [path, error.message];
}

export function readPathwayFile(text: string, today = new Date().toISOString().slice(0, 10)): PathwayFileResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec(String((err as Error).message))?.[1];
    return { ok: false, line: position ? lineAt(text, Number(position)) : null, id: null, field: null, problem: 'is not valid JSON' };
  }
  if (!Array.isArray(parsed)) return { ok: false, line: 1, id: null, field: null, problem: 'must be a JSON array of entries' };
  const offsets = entryOffsets(text);
  const seen = new Map<string, number>();
  for (const [i, value] of parsed.entries()) {
    const line = offsets[i] === undefined ? null : lineAt(text, offsets[i]!);
    const id = value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;
    if (!Value.Check(PathwayEntry, value)) {
      const [field, problem] = shapeProblem(value);
      return { ok: false, line, id, field, problem };
    }
    const problem = valueProblem(value, today);
    if (problem) return { ok: false, line, id, field: problem[0], problem: problem[1] };
    const first = seen.get(value.id);
    if (first !== undefined) return { ok: false, line, id, field: 'id', problem: `is a duplicate of the entry on line ${first}` };
    seen.set(value.id, line ?? 0);
  }
  return { ok: true, entries: parsed as PathwayEntry[] };
}

/** The problem in one sentence, for the CLI and the import error. */
export function describeProblem(result: Extract<PathwayFileResult, { ok: false }>): string {
  const where = [result.line !== null ? `line ${result.line}` : null, result.id ? `entry "${result.id}"` : null].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${result.field ? `${result.field} ` : ''}${result.problem}`;
}
