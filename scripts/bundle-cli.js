#!/usr/bin/env node
/**
 * Part of `npm run build`, after tsc: bundles the command line (dist/cli/main.js
 * and what it imports, dependencies included) into one CommonJS file,
 * dist/bundle/main.cjs, which bin/match.cjs loads instead of dist's hundred-odd
 * modules: resolving, reading and linking them one by one was a large part of
 * the start-up time (see the start-up figures in scripts/bench.js). Then it
 * runs the bundle once on the fixtures and saves V8's code cache of it
 * (dist/bundle/main.cjs.cache), so that a run does not compile again the
 * functions every run calls (see src/cli/bundle-loader.ts). One script, not
 * ES modules, because Node 20 caches compiled code for scripts only. Code
 * imported with `await import()` (the spreadsheet formats) is still run only
 * when used. The library (dist/index.js) is not bundled.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bundle');

const BUNDLE = join(OUT, 'main.cjs');
const CACHE = `${BUNDLE}.cache`;
const LOADER = join(OUT, 'loader.cjs');

/**
 * Modules find files beside them through `import.meta.url` (package.json, the
 * glossary and its cache, the ranking worker), which a script lacks: each
 * module's is made from the bundle's own file name, pointing back at where
 * tsc put the module.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(DIST)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const own = `new URL(${JSON.stringify(relative(OUT, args.path).split('\\').join('/'))}, __matchBundleUrl).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

/**
 * Built-in modules that most runs never use, loaded on first use instead of
 * with the bundle: commander requires child_process up front for executable
 * subcommands, which match has none of (loading it brought net and dgram too);
 * worker_threads and v8 serve only rankings large enough for threads, zlib
 * only gzip input, crypto only the manifest and lint. Each cost a run on the
 * fixtures 2 to 5 ms to load (measured in instructions, scripts/bench.js has
 * the start-up figures). A module's functions are read from it when called,
 * as esbuild's output does for named imports, so the proxy is enough.
 */
const LAZY_BUILTINS = /^(?:node:)?(child_process|worker_threads|v8|zlib|crypto)$/;
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: LAZY_BUILTINS }, (args) => ({ path: LAZY_BUILTINS.exec(args.path)[1], namespace: 'lazy' }));
    // The module's names are listed (from this Node's module) so that esbuild's import helpers, which copy
    // them as getters, find them without loading the module; each getter loads it.
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, async (args) => {
      const id = `node:${args.path}`;
      const names = Object.keys(await import(id)).filter((name) => name !== 'default');
      const getters = names.map((name) => `${JSON.stringify(name)}: { get: () => load()[${JSON.stringify(name)}], enumerable: true }`);
      return {
        contents: `let loaded;\nconst load = () => (loaded ??= process.getBuiltinModule(${JSON.stringify(id)}));\nmodule.exports = Object.defineProperties({}, {\n${getters.join(',\n')}\n});`,
        loader: 'js',
      };
    });
  },
};

/** One CommonJS script for Node 20 from a module of dist and what it imports. */
const bundle = (entry, outfile, options = {}) =>
  build({ entryPoints: [join(DIST, ...entry)], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning', ...options });

await rm(OUT, { recursive: true, force: true });
await bundle(['cli', 'main.js'], BUNDLE, {
  // A script compiled by hand has no loader for import(): packages left out load through require().
  supported: { 'dynamic-import': false },
  // iconv-lite carries half a megabyte of East Asian code pages that match never uses: parsing them
  // with every run would cost more than loading the package itself from node_modules. The spreadsheet
  // packages (a third of the bundle otherwise) are required from node_modules (their CommonJS builds)
  // when a workbook is read or written: in the one script, every run would load them.
  external: ['iconv-lite', 'read-excel-file', 'write-excel-file'],
  banner: { js: "const __matchBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [keepModuleUrls, lazyBuiltins],
});
// bin/match.cjs is CommonJS, which starts without Node's ES module loader (20 M instructions a run, --help
// included): it requires the bundle's loader in the same form.
await bundle(['cli', 'bundle-loader.js'], LOADER);

/**
 * The code cache: V8's compiled code for the bundle's functions that a run on
 * the fixtures called, made in a process of its own (so that nothing else this
 * build loaded is in it) and then checked to be accepted by a fresh one. A
 * cache V8 would turn down is not kept.
 */
const FIXTURES = join(ROOT, 'fixtures');
if (existsSync(join(FIXTURES, 'needs.csv'))) {
  const work = await mkdtemp(join(tmpdir(), 'match-cache-'));
  const loader = JSON.stringify(pathToFileURL(join(DIST, 'cli', 'bundle-loader.js')).href);
  const make = `
    const { writeFileSync } = await import('node:fs');
    const { loadBundle } = await import(${loader});
    const { main, script } = loadBundle(${JSON.stringify(BUNDLE)}, null);
    for (const extra of [['--format', 'csv'], ['--format', 'table'], ['--explain', '--format', 'json']]) {
      const code = await main(['node', 'match', 'rank', ${JSON.stringify(join(FIXTURES, 'needs.csv'))}, ${JSON.stringify(join(FIXTURES, 'startups.csv'))}, ...extra, '-q', '-o', ${JSON.stringify(join(work, 'out'))}]);
      if (code !== 0) throw new Error('the run on the fixtures failed: ' + code);
    }
    writeFileSync(${JSON.stringify(CACHE)}, script.createCachedData());`;
  const check = `
    const { loadBundle } = await import(${loader});
    process.stdout.write(String(loadBundle(${JSON.stringify(BUNDLE)}, ${JSON.stringify(CACHE)}).cacheRejected));`;
  const node = (code) => spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  const made = node(make);
  const checked = made.status === 0 ? node(check) : null;
  await rm(work, { recursive: true, force: true });
  if (checked?.stdout !== 'false') {
    await rm(CACHE, { force: true });
    process.stderr.write(`bundle-cli: no code cache (${made.status !== 0 ? made.stderr.trim() : 'V8 turned it down'}); match starts without one\n`);
  }
}
