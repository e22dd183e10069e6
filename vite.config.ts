// Builds the browser apps (multi-entry, no HTML: the server renders the pages and links the
// hashed files listed in the manifest) and writes brotli and gzip copies next to every asset,
// so the server sends precompressed files without compressing on each request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

const OUT_DIR = 'dist/client';

function precompress(): Plugin {
  return {
    name: 'redress-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(join(OUT_DIR, 'assets'))) {
        if (!/\.(js|css|json|svg|wasm)$/.test(file)) continue;
        const source = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(source, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length },
        }));
        writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

/**
 * The service worker is one classic script at the site's root (a module worker would not run in
 * every browser that runs the form), so it is built on its own, after the apps, as an IIFE. The
 * server serves it at /sw.js with the build's version and asset list in front (PROTOCOL.md §25.4).
 */
function serviceWorker(): Plugin {
  return {
    name: 'redress-service-worker',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          outDir: OUT_DIR,
          emptyOutDir: false,
          target: 'es2020',
          lib: { entry: 'client/sw/service-worker.ts', formats: ['iife'], name: 'redressServiceWorker', fileName: () => 'sw.js' },
        },
      });
    },
  };
}

export default defineConfig({
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false }), precompress(), serviceWorker()],
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    // libsodium (with Argon2id) is ~530 KB raw, ~150 KB brotli, loaded lazily after first paint.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: { report: 'client/report/main.tsx', desk: 'client/desk/main.tsx', accountability: 'client/accountability/main.ts' },
    },
  },
});
