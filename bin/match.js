#!/usr/bin/env node
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
const bundle = new URL('../dist/bundle/main.cjs', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
const modified = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
};
const built = modified(bundle);
let main;
if (built >= 0 && built >= modified(modules)) {
  const { loadBundle } = await import('../dist/cli/bundle-loader.js');
  const file = fileURLToPath(bundle);
  ({ main } = loadBundle(file, `${file}.cache`));
} else {
  ({ main } = await import(modules.href));
}
process.exitCode = await main(process.argv);
