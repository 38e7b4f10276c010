/** survey-live tokens mint <survey> [--text] [--expires 30d] */
import type { Command } from 'commander';
import { type GlobalOptions, ServerClient } from '../client.js';
import type { CliIo } from '../io.js';

export function registerTokens(program: Command, io: CliIo): void {
  const tokens = program.command('tokens').description('Read tokens for widgets and screens');

  tokens
    .command('mint')
    .description('Mint a read token for one survey; prints the token alone on stdout (its expiry on stderr)')
    .argument('<survey>', 'the survey id')
    .option('--text', 'also let it read free-text answers (the "text" scope)')
    .option('--expires <duration>', 'lifetime: 90s, 15m, 1h, 30d, 2w, 1y or seconds', '30d')
    .action(async (surveyId: string, options: { text?: boolean; expires: string }, command: Command) => {
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      const expiresIn = /^\d+$/.test(options.expires) ? Number(options.expires) : options.expires;
      const scopes = options.text ? ['stats', 'text'] : ['stats'];
      const minted = await client.call<{ token: string; expiresAt: string }>('POST', '/api/v1/tokens', { json: { surveyId, scopes, expiresIn } });
      io.stdout.write(`${minted.token}\n`);
      io.stderr.write(`Read token for "${surveyId}" (${scopes.join(', ')}), expires ${minted.expiresAt}\n`);
    });
}
