/** Where the CLI writes and what environment it reads: the process's, or a test's in-process. */
import { readFile } from 'node:fs/promises';
import { CliError } from './errors.js';

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

/** A file the user named, as bytes; an unreadable one is a CliError that names it. */
export async function readNamedFile(file: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}
