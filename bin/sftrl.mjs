#!/usr/bin/env node
// The `sftrl` command: loads the TypeScript CLI through tsx so `npx sftrl` works without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
