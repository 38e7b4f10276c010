/** survey-live distribution import <survey> <file.csv> */
import { type Command, Option } from 'commander';
import { type GlobalOptions, ServerClient } from '../client.js';
import { type CliIo, readNamedFile } from '../io.js';
import { formatTable } from '../table.js';

interface DistributionAnswer {
  mode: 'set' | 'add';
  distributed: { before: number; after: number };
  changed: { line: number; areaId: string; name: string; before: number; after: number; created: boolean }[];
  unchanged: string[];
}

export function registerDistribution(program: Command, io: CliIo): void {
  const distribution = program.command('distribution').description('Hand-out lists: how many surveys each area got');

  distribution
    .command('import')
    .description("Set (or add to) each area's handed-out count from a CSV: a header, then area id or name and count per line")
    .argument('<survey>', 'the survey id')
    .argument('<file.csv>', 'UTF-8, ";" or "," separated, with a header row')
    .addOption(new Option('--mode <mode>', 'set replaces each count, add adds to it').choices(['set', 'add']).default('set'))
    .option('--create-areas', 'create areas the survey does not have yet')
    .action(async (surveyId: string, file: string, options: { mode: string; createAreas?: boolean }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const csv = await readNamedFile(file);
      const query = new URLSearchParams({ mode: options.mode, createAreas: String(Boolean(options.createAreas)) });
      const answer = await client.call<DistributionAnswer>('POST', `/api/v1/surveys/${encodeURIComponent(surveyId)}/distribution?${query}`, {
        body: csv,
        contentType: 'text/csv; charset=utf-8',
      });
      if (answer.changed.length > 0) {
        const rows = answer.changed.map((change) => [
          String(change.line),
          change.areaId,
          change.name,
          change.created ? 'new' : String(change.before),
          String(change.after),
        ]);
        const columns = [
          { header: 'LINE', align: 'right' as const },
          { header: 'AREA' },
          { header: 'NAME' },
          { header: 'BEFORE', align: 'right' as const },
          { header: 'AFTER', align: 'right' as const },
        ];
        io.stdout.write(`${formatTable(columns, rows)}\n`);
      }
      io.stdout.write(
        `${answer.changed.length} area(s) changed, ${answer.unchanged.length} unchanged; handed out in total: ${answer.distributed.before} -> ${answer.distributed.after}\n`,
      );
    });
}
