/** survey-live surveys apply <file> | surveys list */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Survey, surveySchema } from '../../shared/schemas.js';
import { type GlobalOptions, ServerClient } from '../client.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTable, percent } from '../table.js';

export function registerSurveys(program: Command, io: CliIo): void {
  const surveys = program.command('surveys').description('Survey definitions');

  surveys
    .command('apply')
    .description('Create or update surveys from a JSON or YAML file (one survey, a list, or { surveys: [...] })')
    .argument('<file>', 'a .json, .yaml or .yml file')
    .action(async (file: string, _options, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const definitions = await readSurveysFile(file);
      for (const survey of definitions) {
        const { status } = await client.send('PUT', `/api/v1/surveys/${encodeURIComponent(survey.id)}`, { json: survey });
        io.stdout.write(`${status === 201 ? 'created' : 'updated'} ${survey.id}\n`);
      }
    });

  surveys
    .command('list')
    .description('List the surveys with their areas, hand-outs and sources')
    .option('--json', 'print the definitions as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const { surveys: list } = await client.call<{ surveys: Survey[] }>('GET', '/api/v1/surveys');
      if (options.json) {
        io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        io.stdout.write('No surveys yet: survey-live surveys apply <file>\n');
        return;
      }
      const rows = list.map((survey) => [
        survey.id,
        survey.name,
        String(survey.areas.length),
        String(survey.areas.reduce((sum, area) => sum + area.distributed, 0)),
        percent(survey.target),
        (survey.sources ?? []).map((source) => `${source.platform}:${source.externalId}`).join(', ') || '–',
      ]);
      const columns = [
        { header: 'ID' },
        { header: 'NAME' },
        { header: 'AREAS', align: 'right' as const },
        { header: 'HANDED OUT', align: 'right' as const },
        { header: 'TARGET', align: 'right' as const },
        { header: 'SOURCES' },
      ];
      io.stdout.write(`${formatTable(columns, rows)}\n`);
    });
}

/** A list of surveys, `{ surveys: [...] }`, or one survey. */
function surveysIn(data: unknown) {
  if (Array.isArray(data)) return z.array(surveySchema).safeParse(data);
  if (data && typeof data === 'object' && 'surveys' in data) return z.array(surveySchema).safeParse(data.surveys);
  return surveySchema.transform((survey) => [survey]).safeParse(data);
}

/** Reads and validates every survey before any is sent: a file with one bad survey changes nothing. */
async function readSurveysFile(file: string): Promise<Survey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const yaml = /\.ya?ml$/i.test(file);
  let data: unknown;
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const parsed = surveysIn(data);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new CliError(`${file} holds no valid survey definitions; nothing was sent`, 1, details);
  }
  return parsed.data;
}
