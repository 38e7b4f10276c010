/** survey-live stats <survey>: the survey's snapshot as a terminal table. */
import type { Command } from 'commander';
import type { SurveySnapshot } from '../../shared/schemas.js';
import { type GlobalOptions, ServerClient } from '../client.js';
import type { CliIo } from '../io.js';
import { bar, formatTable, percent } from '../table.js';

export function registerStats(program: Command, io: CliIo): void {
  program
    .command('stats')
    .description('Show response rates by area, channels and indexes')
    .argument('<survey>', 'the survey id')
    .option('--json', 'print the snapshot as JSON')
    .action(async (surveyId: string, options: { json?: boolean }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      // Stats are read with a read token: mint a short-lived one with the admin token.
      const { token } = await client.call<{ token: string }>('POST', '/api/v1/tokens', { json: { surveyId, scopes: ['stats'], expiresIn: 60 } });
      const snapshot = await client.call<SurveySnapshot>('GET', `/api/v1/surveys/${encodeURIComponent(surveyId)}/stats`, { bearer: token });
      io.stdout.write(options.json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${renderStats(snapshot)}\n`);
    });
}

export function renderStats(snapshot: SurveySnapshot): string {
  const rows = snapshot.areas.map((area) => [
    area.name,
    String(area.distributed),
    String(area.responses),
    percent(area.responseRate),
    bar(area.responseRate ?? 0),
  ]);
  rows.push(['Total', String(snapshot.distributed), String(snapshot.responses), percent(snapshot.responseRate), bar(snapshot.responseRate ?? 0)]);
  const columns = [
    { header: 'AREA' },
    { header: 'HANDED OUT', align: 'right' as const },
    { header: 'RESPONSES', align: 'right' as const },
    { header: 'RATE', align: 'right' as const },
    { header: `TARGET ${percent(snapshot.target)}` },
  ];
  const channels = Object.entries(snapshot.channels)
    .sort((a, b) => b[1] - a[1])
    .map(([channel, n]) => `${channel} ${n}`)
    .join(', ');
  const indexes = Object.entries(snapshot.indexes)
    .map(([id, index]) => `${id} ${index.value ?? '–'} (n=${index.n})`)
    .join(', ');
  return [
    `${snapshot.name} (${snapshot.surveyId}), updated ${snapshot.updatedAt}`,
    '',
    formatTable(columns, rows),
    '',
    `Channels: ${channels || '–'}`,
    `Indexes:  ${indexes || '–'}`,
  ].join('\n');
}
