/** survey-live events add --survey … --at … --kind … --label … [--areas a,b] | events list --survey … */
import { type Command, Option } from 'commander';
import { EVENT_KINDS, type SurveyEvent, type SurveyEventWithEffect } from '../../shared/schemas.js';
import { type GlobalOptions, ServerClient } from '../client.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTable } from '../table.js';

interface AddOptions {
  survey: string;
  at: string;
  kind: string;
  label: string;
  areas?: string;
}

export function registerEvents(program: Command, io: CliIo): void {
  const events = program.command('events').description('Reminder rounds: door-knocking, phone rounds, letters, shown as markers on the timelines');

  events
    .command('add')
    .description('Mark a reminder round; prints its id')
    .requiredOption('--survey <id>', 'the survey id')
    .requiredOption('--at <time>', "when it started: ISO 8601 (2026-11-20T09:00:00+01:00); without an offset, in this computer's time zone")
    .addOption(new Option('--kind <kind>', 'what it was').choices(EVENT_KINDS).makeOptionMandatory())
    .requiredOption('--label <text>', 'what the markers say, e.g. "Dörrknackning Norrby"')
    .option('--areas <ids>', 'the areas it covered, comma-separated (default: all)')
    .action(async (options: AddOptions, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const at = new Date(options.at);
      if (Number.isNaN(at.getTime())) throw new UsageError(`--at must be a date and time like 2026-11-20T09:00:00+01:00, not "${options.at}"`);
      const areaIds = options.areas
        ?.split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (areaIds?.length === 0) throw new UsageError('--areas must name at least one area id');
      const added = await client.call<SurveyEvent>('POST', `/api/v1/surveys/${encodeURIComponent(options.survey)}/events`, {
        json: { at: at.toISOString(), kind: options.kind, label: options.label, ...(areaIds ? { areaIds } : {}) },
      });
      io.stdout.write(`${added.id}\n`);
      io.stderr.write(`Added ${added.kind} round "${added.label}" at ${added.at} (${added.areaIds ? `areas ${added.areaIds.join(', ')}` : 'all areas'})\n`);
    });

  events
    .command('list')
    .description('List the reminder rounds, oldest first, with the responses of the 48 hours before and after each')
    .requiredOption('--survey <id>', 'the survey id')
    .option('--json', 'print them as JSON')
    .action(async (options: { survey: string; json?: boolean }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      // Read with a read token, as widgets do: mint a short-lived one with the admin token.
      const { token } = await client.call<{ token: string }>('POST', '/api/v1/tokens', {
        json: { surveyId: options.survey, scopes: ['stats'], expiresIn: 60 },
      });
      const { events: list } = await client.call<{ events: SurveyEventWithEffect[] }>('GET', `/api/v1/surveys/${encodeURIComponent(options.survey)}/events`, {
        bearer: token,
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        io.stdout.write(`No reminder rounds yet: survey-live events add --survey ${options.survey} --at … --kind door --label …\n`);
        return;
      }
      const rows = list.map((event) => [
        event.at,
        event.kind,
        event.label,
        event.areaIds?.join(', ') ?? 'all',
        String(event.effect.before),
        String(event.effect.after),
        event.id,
      ]);
      const columns = [
        { header: 'AT' },
        { header: 'KIND' },
        { header: 'LABEL' },
        { header: 'AREAS' },
        { header: '48H BEFORE', align: 'right' as const },
        { header: '48H AFTER', align: 'right' as const },
        { header: 'ID' },
      ];
      io.stdout.write(`${formatTable(columns, rows)}\n`);
    });
}
