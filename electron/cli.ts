/**
 * `sftrl`: the headless CLI. Each concern contributes its commands (electron/cli/*.ts); this file
 * only dispatches, prints help and turns every error into one readable line and an exit code.
 */
import { UsageError, type CliCommand, type CliIo } from './cli/command';
import { gpCommand } from './cli/generalpoints';
import { infoCommand } from './cli/info';
import { serveCommand } from './cli/serve';
import { compareCommand } from './cli/compare';
import { evalCommand } from './cli/eval';
import { pretrainCommand, resumeCommand, runsCommand, trainCommand } from './cli/train';
import { virlCommand } from './cli/virl';
import { sweepCommand } from './cli/sweep';

export const commands: CliCommand[] = [infoCommand, serveCommand, pretrainCommand, trainCommand, resumeCommand, evalCommand, compareCommand, runsCommand, sweepCommand, gpCommand, virlCommand];

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'sftrl — SFT-vs-RL Generalization Workbench (headless)',
    '',
    'usage: sftrl <command> [options]      sftrl <command> --help',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`sftrl: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sftrl ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`sftrl ${name}: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}
