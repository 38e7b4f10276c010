/**
 * survey-live backup [--survey <id>] --out <file.json>
 * survey-live restore <file.json> [--replace]
 * The backup file's format: README (Backup and restore) and server/store/survey-export.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type GlobalOptions, ServerClient } from '../client.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

interface BackupSummary {
  surveys: { survey: { id: string }; counts: { responses: number }; texts: unknown[] }[];
  unmatched: unknown[];
}

export function registerBackup(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('Write every survey (or one) with its counts, texts and deduplication to a JSON file')
    .option('--survey <id>', 'only this survey')
    .requiredOption('--out <file>', 'where to write the backup (JSON; holds free text: keep it as safe as Redis)')
    .action(async (options: { survey?: string; out: string }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const query = options.survey ? `?${new URLSearchParams({ survey: options.survey })}` : '';
      const backup = await client.call<BackupSummary>('GET', `/api/v1/backup${query}`);
      try {
        // Readable by its owner only: it holds tenants' free text and response ids.
        await writeFile(options.out, `${JSON.stringify(backup)}\n`, { mode: 0o600 });
      } catch (error) {
        throw new CliError(`Cannot write ${options.out}: ${(error as Error).message}`);
      }
      for (const entry of backup.surveys) {
        io.stderr.write(`${entry.survey.id}: ${entry.counts.responses} responses, ${entry.texts.length} texts\n`);
      }
      io.stderr.write(`Wrote ${backup.surveys.length} survey(s) and ${backup.unmatched.length} unmatched response(s) to ${options.out}\n`);
    });

  program
    .command('restore')
    .description('Load a backup file into the server; surveys defined there already are refused unless --replace')
    .argument('<file>', 'a file written by survey-live backup')
    .option('--replace', 'overwrite surveys of the same id, with everything they had')
    .action(async (file: string, options: { replace?: boolean }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
      }
      const result = await client.call<{ restored: string[]; unmatched: number }>('POST', `/api/v1/restore${options.replace ? '?replace=true' : ''}`, {
        body: new Uint8Array(body),
        contentType: 'application/json',
      });
      io.stdout.write(`Restored ${result.restored.length} survey(s): ${result.restored.join(', ') || '(none)'}; ${result.unmatched} unmatched response(s)\n`);
    });
}
