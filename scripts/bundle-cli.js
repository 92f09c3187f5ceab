#!/usr/bin/env node
/**
 * Part of `npm run build`, after tsc: bundles the command line (dist/cli/main.js
 * and what it imports, dependencies included) into a few files in
 * dist/bundle/, which bin/match.js loads instead of dist's hundred-odd
 * modules: resolving, reading and linking them one by one was a large part of
 * the start-up time (see the start-up figures in scripts/bench.js). Commands
 * and formats imported with `await import()` stay in chunks of their own, so
 * a run still loads only what it uses. The library (dist/index.js) is not
 * bundled.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bundle');

/**
 * Modules find files beside them through `import.meta.url` (package.json, the
 * glossary and its cache, the ranking worker). In the bundle that URL is the
 * chunk's, so each module's is pointed back at where tsc put the module.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(DIST)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const own = `new URL(${JSON.stringify(relative(OUT, args.path).split('\\').join('/'))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

/**
 * commander requires child_process up front for executable subcommands, which
 * match has none of; loading it (and net, dgram with it) cost every run,
 * --help included. The bundle gets it on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

await rm(OUT, { recursive: true, force: true });
await build({
  entryPoints: { main: join(DIST, 'cli', 'main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // iconv-lite carries half a megabyte of East Asian code pages that match never uses: parsing them
  // with every run would cost more than loading the package itself from node_modules.
  external: ['iconv-lite'],
  // Dependencies written as CommonJS call require() and read __filename (write-file-atomic, to name
  // its temporary files), which an ES module lacks.
  banner: {
    js: [
      "import { createRequire as __matchRequire } from 'node:module';",
      "import { fileURLToPath as __matchPath } from 'node:url';",
      'const require = __matchRequire(import.meta.url);',
      'const __filename = __matchPath(import.meta.url);',
    ].join('\n'),
  },
  plugins: [keepModuleUrls, lazyChildProcess],
  logLevel: 'warning',
});
