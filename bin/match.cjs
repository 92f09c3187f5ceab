#!/usr/bin/env node
'use strict';
// CommonJS, unlike the rest of match: a run starts without Node's ES module loader.
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// A closed pipe (`match rank ... | head`) is a normal end, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// Ctrl-C and SIGTERM keep their default action on purpose: a JS handler would
// run only when the event loop is free, after minutes of ranking, while the
// default ends the run at once. The shell reports 130 (SIGINT) or 143
// (SIGTERM), and a script running match stops too, as it should. While an
// -o file is being written, write-file-atomic catches the signal, removes its
// temporary file and re-raises it, so an older file stays intact.

// `npm run build` bundles the command line into one script with a V8 code cache beside it
// (scripts/bundle-cli.js, src/cli/bundle-loader.ts), which starts much faster than dist's modules one
// by one. A bundle older than them (tsc run alone since) would run stale code: then the modules are
// loaded instead.
const bundle = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const modules = join(__dirname, '..', 'dist', 'cli', 'main.js');
const modified = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};
const built = modified(bundle);
const loaded =
  built >= 0 && built >= modified(modules)
    ? Promise.resolve(require('../dist/bundle/loader.cjs').loadBundle(bundle, `${bundle}.cache`))
    : import(pathToFileURL(modules).href);
loaded
  .then(({ main }) => main(process.argv))
  .then((code) => {
    process.exitCode = code;
    // Leaving at once skips what Node does after the last callback (wait for the file close the input
    // stream queued, finish a collection V8 has under way, tear the heap down): 3 ms of a run on the
    // fixtures (medians of 60 alternated runs). Only when nothing is left to write: writes to stdout
    // and stderr may complete later (pipes on POSIX, terminals on Windows; Node's "A note on process I/O").
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  });
