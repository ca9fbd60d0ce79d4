#!/usr/bin/env node
// The `att` command. Runs the compiled CLI (npm run build); see src/cli/main.ts.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
