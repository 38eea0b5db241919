#!/usr/bin/env node
// The `sftrl` command: loads the TypeScript CLI through tsx so `npx sftrl` works without a build.
import { register } from 'tsx/esm/api';

register();
// `sftrl … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
