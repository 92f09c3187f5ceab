#!/usr/bin/env node
// A closed pipe (`match rank ... | head`) is a normal end, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
