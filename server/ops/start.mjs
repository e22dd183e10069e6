// `npm start` and `npm run cli`: run the compiled server (or CLI) from dist/node with plain
// node. Builds first only when the build is missing or older than the sources beside it; on a
// production install (no dev dependencies) a missing or stale build is an error, not a surprise.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SOURCES, STAMP, build } from './build.mjs';

function newestSource() {
  let newest = { path: '', mtimeMs: 0 };
  const visit = (path) => {
    let stat;
    try { stat = statSync(path); } catch { return; }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (stat.mtimeMs > newest.mtimeMs) {
      newest = { path, mtimeMs: stat.mtimeMs };
    }
  };
  for (const source of SOURCES) visit(join(ROOT, source));
  return newest;
}

/** Why the build must be made again, or null when dist/ can be used as it is. */
export function staleReason() {
  if (!existsSync(STAMP)) return 'there is no build yet (dist/BUILD is missing)';
  const built = statSync(STAMP).mtimeMs;
  const newest = newestSource();
  if (newest.mtimeMs > built) return `${newest.path.slice(ROOT.length + 1)} is newer than the build`;
  return null;
}

const [command, ...rest] = process.argv.slice(2);
const reason = staleReason();
if (reason) {
  const devInstalled = existsSync(join(ROOT, 'node_modules', 'vite')) && existsSync(join(ROOT, 'node_modules', 'esbuild'));
  if (!devInstalled) {
    console.error(`Cannot start: ${reason}, and the build tools are not installed (a production install, npm ci --omit=dev).\n` +
      'Build on a machine with the dev dependencies (npm ci && npm run build) and copy dist/ here, or run npm ci here first.');
    process.exit(1);
  }
  console.error(`Building first: ${reason}.`);
  await build();
}

const entry = command === 'cli' ? 'cli.js' : 'main.js';
// The compiled module reads its own arguments from process.argv, as if started directly.
process.argv = [process.argv[0], join(ROOT, 'dist', 'node', 'server', entry), ...(command === 'cli' ? rest : [])];
await import(pathToFileURL(process.argv[1]).href);
