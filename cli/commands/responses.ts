/**
 * survey-live responses replay <file>: backfills an export through the signed webhook, the same
 * path live responses take. Idempotent (the server counts a response id once), bounded
 * concurrency, retries on 429/5xx, a progress bar and a summary.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { webhookSigner } from '../../server/ingest/signature.js';
import type { ResponseData } from '../../shared/schemas.js';
import { type GlobalOptions, ServerClient } from '../client.js';
import { CliError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress.js';
import { type ReplayLine, readReplayLines } from '../replay-lines.js';

const WEBHOOK_PATH = '/api/v1/webhooks/responses';
const MAX_ATTEMPTS = 5;
const MAX_REPORTED = 20;

type Outcome = 'accepted' | 'duplicate' | 'unmatched' | 'late' | 'rejected' | 'failed';

export interface ReplaySummary {
  file: string;
  lines: number;
  accepted: number;
  duplicate: number;
  unmatched: number;
  /** Received after the survey's closesAt: kept by the server, not counted. */
  late: number;
  /** Lines that are not responses, or that the server refused (400). */
  rejected: number;
  /** Lines not delivered after every retry. */
  failed: number;
  seconds: number;
}

const positiveInt = (max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
  return n;
};

export function registerResponses(program: Command, io: CliIo): void {
  const responses = program.command('responses').description('Responses');

  responses
    .command('replay')
    .description('Backfill responses from an export through the signed webhook; replaying again counts nothing twice')
    .argument('<file>', 'NDJSON (webhook bodies or their data objects) or CSV (responseId, surveyId, areaId, channel, submittedAt, then question ids)')
    .option('--secret <whsec>', "a secret of the server's WEBHOOK_SECRETS to sign with (default: $SURVEY_LIVE_WEBHOOK_SECRET)")
    .addOption(new Option('--format <format>', 'the file format (default: from the extension)').choices(['ndjson', 'csv']))
    .option('--concurrency <n>', 'requests in flight at once', positiveInt(256), 16)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { secret?: string; format?: 'ndjson' | 'csv'; concurrency: number; json?: boolean }, command: Command) => {
      const secret = options.secret ?? io.env.SURVEY_LIVE_WEBHOOK_SECRET;
      if (!secret) throw new UsageError('Replay signs every line: pass --secret or set SURVEY_LIVE_WEBHOOK_SECRET (a whsec_... secret of the server)');
      if (!/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) throw new UsageError("The secret must look like whsec_<base64>, as in the server's WEBHOOK_SECRETS");
      const client = ServerClient.from(command.optsWithGlobals<GlobalOptions>(), io.env);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
      }
      const format = options.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
      const lines = readReplayLines(text, format);
      const { summary, problems } = await replay(lines, {
        url: `${client.base}${WEBHOOK_PATH}`,
        secret,
        concurrency: options.concurrency,
        file,
        stderr: io.stderr,
      });

      if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        io.stdout.write(
          `Replayed ${summary.lines} line(s) of ${file} in ${summary.seconds.toFixed(1)} s: ` +
            `${summary.accepted} accepted, ${summary.duplicate} duplicate, ${summary.unmatched} unmatched, ${summary.late} late, ${summary.rejected} rejected, ${summary.failed} failed\n`,
        );
      }
      for (const problem of problems.slice(0, MAX_REPORTED)) io.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
      if (problems.length > MAX_REPORTED) io.stderr.write(`  … and ${problems.length - MAX_REPORTED} more\n`);
      if (summary.rejected + summary.failed > 0) throw new CliError(`${summary.rejected + summary.failed} line(s) were not counted`);
    });
}

interface ReplayOptions {
  url: string;
  secret: string;
  concurrency: number;
  file: string;
  /** Where the progress bar goes. */
  stderr: CliIo['stderr'];
}

async function replay(lines: ReplayLine[], options: ReplayOptions): Promise<{ summary: ReplaySummary; problems: { line: number; reason: string }[] }> {
  const started = Date.now();
  const sign = webhookSigner(options.secret);
  const summary: ReplaySummary = {
    file: options.file,
    lines: lines.length,
    accepted: 0,
    duplicate: 0,
    unmatched: 0,
    late: 0,
    rejected: 0,
    failed: 0,
    seconds: 0,
  };
  const problems: { line: number; reason: string }[] = [];
  const progress = new ProgressBar(lines.length, options.stderr);
  const status = () =>
    `accepted ${summary.accepted}  duplicate ${summary.duplicate}  unmatched ${summary.unmatched}  late ${summary.late}  rejected ${summary.rejected + summary.failed}`;
  let done = 0;
  let next = 0;
  let fatal: CliError | undefined;

  const settle = (line: ReplayLine, outcome: Outcome, reason?: string) => {
    summary[outcome] += 1;
    if (reason) problems.push({ line: line.line, reason });
    done += 1;
    progress.update(done, status());
  };

  const worker = async () => {
    while (!fatal && next < lines.length) {
      const line = lines[next++] as ReplayLine;
      if (!line.data) {
        settle(line, 'rejected', line.error);
        continue;
      }
      try {
        const { outcome, reason } = await deliver(line.data, sign, options.url);
        settle(line, outcome, reason);
      } catch (error) {
        fatal = error instanceof CliError ? error : new CliError(String(error));
      }
    }
  };
  progress.update(0, status(), true);
  await Promise.all(Array.from({ length: Math.min(options.concurrency, Math.max(1, lines.length)) }, worker));
  summary.seconds = (Date.now() - started) / 1000;
  progress.finish(done, status());
  if (fatal) throw fatal;
  return { summary, problems: problems.sort((a, b) => a.line - b.line) };
}

/** Sends one response, retrying what a later attempt can fix (429, 5xx, a dropped connection). */
async function deliver(data: ResponseData, sign: ReturnType<typeof webhookSigner>, url: string): Promise<{ outcome: Outcome; reason?: string }> {
  // The same message id for the same response on every replay, as Standard Webhooks asks of a redelivery.
  const messageId = `msg_${createHash('sha256').update(`${data.surveyId}\n${data.responseId}`).digest('hex').slice(0, 32)}`;
  let lastReason = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const now = new Date();
    const body = JSON.stringify({ type: 'response.created', timestamp: now.toISOString(), data });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...sign(body, { id: messageId, timestamp: now }) },
        body,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      lastReason = `cannot reach ${new URL(url).origin}: ${cause?.code ?? (error as Error).message}`;
      await backoff(attempt);
      continue;
    }
    const text = await res.text();
    if (res.status === 200 || res.status === 202) {
      const status = (JSON.parse(text) as { status: Outcome }).status;
      // An unknown status is the server's newer vocabulary: report it as a failure, never as counted.
      if (status === 'accepted' || status === 'duplicate' || status === 'unmatched' || status === 'late') return { outcome: status };
      return { outcome: 'failed', reason: `the server answered status "${String(status)}"` };
    }
    const detail = problemDetail(text);
    if (res.status === 401) throw new CliError(`The server refused the signature (${detail}): is --secret one of its WEBHOOK_SECRETS?`);
    if (res.status === 429 || res.status >= 500) {
      lastReason = `${res.status} ${detail}`;
      await backoff(attempt, Number(res.headers.get('retry-after')));
      continue;
    }
    return { outcome: 'rejected', reason: `${res.status} ${detail}` };
  }
  return { outcome: 'failed', reason: `not delivered after ${MAX_ATTEMPTS} attempts: ${lastReason}` };
}

function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

/** Waits before another attempt: Retry-After when the server gives one (at most 10 s), else 0.2, 0.4, 0.8 … s. */
function backoff(attempt: number, retryAfterSeconds = Number.NaN): Promise<void> {
  const ms = Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0 ? Math.min(retryAfterSeconds, 10) * 1000 : 200 * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
