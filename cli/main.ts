/**
 * `survey-live`: the command-line tool for the people who run a survey. It talks to a running
 * server (--server, SURVEY_LIVE_ADMIN_TOKEN). Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerBackup } from './commands/backup.js';
import { registerDistribution } from './commands/distribution.js';
import { registerEvents } from './commands/events.js';
import { registerHistory } from './commands/history.js';
import { registerResponses } from './commands/responses.js';
import { registerStats } from './commands/stats.js';
import { registerSurveys } from './commands/surveys.js';
import { registerTokens } from './commands/tokens.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { type CliIo, processIo } from './io.js';

function buildProgram(io: CliIo): Command {
  const program = new Command('survey-live')
    .description('Manage surveys, hand-out lists, read tokens and response backfills on a running survey-live server.')
    .addOption(
      new Option('--server <url>', 'the survey-live server').default(
        io.env.SURVEY_LIVE_SERVER ?? 'http://localhost:3000',
        '$SURVEY_LIVE_SERVER or http://localhost:3000',
      ),
    )
    .option('--token <admin-token>', 'the admin token (default: $SURVEY_LIVE_ADMIN_TOKEN)')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .addHelpText(
      'after',
      `
Every command has --help. Exit codes: ${EXIT_OK} done, ${EXIT_FAILURE} failed (the server refused or is unreachable, a line was rejected), ${EXIT_USAGE} wrong usage.

Examples:
  survey-live surveys apply surveys.yaml
  survey-live distribution import kundenkat-2026 utdelning.csv --mode add
  survey-live history import kundenkat-2025 svar-per-dag-2025.csv
  survey-live tokens mint kundenkat-2026 --text --expires 90d
  survey-live events add --survey kundenkat-2026 --at 2026-11-20T09:00+01:00 --kind door --label "Dörrknackning" --areas norrby
  SURVEY_LIVE_WEBHOOK_SECRET=whsec_... survey-live responses replay export.ndjson`,
    );
  registerSurveys(program, io);
  registerDistribution(program, io);
  registerTokens(program, io);
  registerResponses(program, io);
  registerStats(program, io);
  registerBackup(program, io);
  registerEvents(program, io);
  registerHistory(program, io);

  // The top-level help lists every command, sub-commands included, by its full path.
  program.configureHelp({
    visibleCommands: (cmd) => leafCommands(cmd),
    subcommandTerm: (cmd) => `${commandPath(cmd)} ${cmd.usage()}`.trim(),
  });
  return program;
}

function leafCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((sub) => (sub.commands.length > 0 ? leafCommands(sub) : [sub]));
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Runs one command line and returns its exit code (never exits the process), writing to
 * `io`: cli/survey-live.js passes the process's; tests run commands in-process with their own.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and `help` exit 0; a wrong command line (or a group without its sub-command) is usage.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`survey-live: ${error.message}\n${error.details.map((line) => `  ${line}\n`).join('')}`);
      return error.exitCode;
    }
    io.stderr.write(`survey-live: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
