/** Runs the `survey-live` CLI in this process (most tests), or as a child process the way people run it (smoke tests). */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../cli/main.js';

const BIN = resolve(import.meta.dirname, '../../cli/survey-live.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI's `run()` in this process with its own stdout, stderr and environment: what a
 * child process does, without starting tsx a dozen times on a busy machine.
 */
export async function runCliHere(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

/**
 * Runs `node cli/survey-live.js <args>` asynchronously (the server under test lives in this
 * process, so the test must not block on the child).
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`survey-live ${args.join(' ')} did not exit normally: ${error.message}\n${stderr}`));
          return;
        }
        resolvePromise({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** A temporary folder for the files a test hands to the CLI; remove() deletes it. */
export function tempFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'survey-live-cli-'));
  return {
    write(name: string, content: string | Uint8Array): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
