/** survey-live history import <survey> <file.csv>: an earlier campaign's responses by day and area. */
import type { Command } from 'commander';
import type { HistoryImportResult } from '../../shared/admin.js';
import { type GlobalOptions, ServerClient } from '../client.js';
import { type CliIo, readNamedFile } from '../io.js';

export function registerHistory(program: Command, io: CliIo): void {
  const history = program.command('history').description('Earlier campaigns: responses by day and area, imported into a survey');

  history
    .command('import')
    .description(
      'Import an earlier campaign from a CSV: a header, then date (YYYY-MM-DD), area id or name and responses per line; replaces earlier imported counts of the days it names',
    )
    .argument('<survey>', "the survey id (usually a closed one, named by this year's survey in compareTo)")
    .argument('<file.csv>', 'UTF-8, ";" or "," separated, with a header row')
    .action(async (surveyId: string, file: string, _options: unknown, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const csv = await readNamedFile(file);
      const answer = await client.call<HistoryImportResult>('POST', `/api/v1/surveys/${encodeURIComponent(surveyId)}/history`, {
        body: csv,
        contentType: 'text/csv; charset=utf-8',
      });
      const span = answer.days.length > 0 ? ` (${answer.days[0]} to ${answer.days[answer.days.length - 1]})` : '';
      const change = answer.change >= 0 ? `+${answer.change}` : String(answer.change);
      io.stdout.write(
        `${answer.rows} line(s) over ${answer.days.length} day(s)${span}: ${answer.responses} responses; survey ${answer.surveyId}'s responses ${change}\n`,
      );
    });
}
