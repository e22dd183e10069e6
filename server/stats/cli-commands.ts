// The operator's statistics and register commands: export-stats (the same numbers as the desk,
// to stdout or a file, written whole or not at all) and import-deployments (a register data file).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/index.ts';
import { EXPORT_FORMATS } from '../../protocol/stats-api.ts';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { SEED_FILE, importDeployments } from '../services/register.ts';
import { cliExport } from '../services/stats.ts';

export const STATS_HELP = `  export-stats   Export the disclosure-controlled statistics (the same numbers as the desk).
                   --format csv|json|hxl   csv (UTF-8 with BOM), json, or CSV with an HXL hashtag row
                   --out FILE              write to FILE (replaced whole); stdout when absent
                   --as-of YYYY-MM-DD      publish as on that day (past or future): quarters released
                                           by then, counted as the cases are now (published quarters
                                           stay as they were first published)
  import-deployments  Add register entries from a data file (default db/seed/deployments.json).
                   --file FILE             the file (a JSON array of entries, each with an id)
                   --replace               also overwrite entries with the same id (desk edits lost)
`;

/** A refusal the operator can act on: one line naming the problem. */
const REASONS: Record<string, string> = {
  unknown_export_format: `Unknown format: use ${EXPORT_FORMATS.join(', ')}.`,
  invalid_date: 'The --as-of date must be a real day written YYYY-MM-DD.',
  k_below_minimum: 'k is below the organisation\'s minimum.',
};

export function exportStatsCommand(args: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { format: { type: 'string' }, out: { type: 'string' }, 'as-of': { type: 'string' } } }));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const config = loadConfig();
  const db = openDatabase(config.dataDir);
  try {
    const file = cliExport(db, config, values.format ?? 'csv', values['as-of']);
    if (!values.out) {
      process.stdout.write(file.body);
      return 0;
    }
    // Written beside the target, then moved over it: a reader never sees half a file.
    const temporary = `${values.out}.${process.pid}.tmp`;
    writeFileSync(temporary, file.body, { mode: 0o644 });
    renameSync(temporary, values.out);
    console.error(`Statistics as of ${values['as-of'] ?? 'today'} written to ${values.out} (${file.format}).`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(REASONS[err.code] ?? `Refused: ${err.code}${err.field ? ` (${err.field})` : ''}.`);
      return 1;
    }
    throw err;
  } finally {
    db.$client.close();
  }
}

export function importDeploymentsCommand(args: string[]): number {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, replace: { type: 'boolean' } } });
  const path = values.file ?? SEED_FILE;
  const db = openDatabase(loadConfig().dataDir);
  try {
    const result = importDeployments(db, 'cli', JSON.parse(readFileSync(path, 'utf8')), { replace: values.replace });
    console.log(`Register: ${result.added.length} added, ${result.replaced.length} replaced, ${result.kept.length} kept as they are.`);
    for (const dangling of result.danglingPathways) console.log(`  not in the pathway directory: ${dangling}`);
    return 0;
  } catch (err) {
    console.error(`Nothing imported: ${(err as Error).message}`);
    return 1;
  } finally {
    db.$client.close();
  }
}
