/** Exit codes scripts can rely on, and the errors that carry them. */

export const EXIT_OK = 0;
/** The work failed: the server refused or could not be reached, a line was rejected, a file unreadable. */
export const EXIT_FAILURE = 1;
/** The command line was wrong: unknown command or option, a missing argument, token or secret. */
export const EXIT_USAGE = 2;

/** A failure to report in one line (plus details) and exit with `exitCode`, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}
