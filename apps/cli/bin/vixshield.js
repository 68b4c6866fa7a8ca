#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so `npx vixshield` works right after
// `npm ci` with no build step and can never run stale compiled output.
import { register } from 'tsx/esm/api';

register();
// `vixshield calendar ... | head`: the reader closed the pipe, so there is no one left to write to. Stop
// quietly (exit 0) as other command-line tools do, instead of an unhandled EPIPE stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
