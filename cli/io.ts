/** Where the CLI writes and what environment it reads: the process's, or a test's in-process. */

export interface CliWriter {
  write(text: string): unknown;
  /** A terminal gets a redrawn progress bar; anything else plain lines. */
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  env: Record<string, string | undefined>;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });
