#!/usr/bin/env node
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

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
