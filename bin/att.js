#!/usr/bin/env node
// The `att` command. Runs the compiled CLI (npm run build); see src/cli/main.ts.
import { main } from '../dist/src/cli/main.js';

// `att ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
