/**
 * Baseline for the live bench: a bare Socket.IO server with no signature check, validation, store
 * or Redis. It counts each POSTed response in memory and pushes `survey:stats` with the app's own
 * coalescing rule (first change at once, then at most one per interval, the last always) and a
 * snapshot of the same shape and size (buildSnapshot), to the same room layout.
 * What remains is what any server pays to fan 4 snapshots a second out to 2,000 sockets.
 *
 * Env: BENCH_SURVEYS (comma-separated ids), STATS_INTERVAL_MS (default 250).
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { addTo, emptyCounts, type SurveyCounts } from '../../server/store/response-store.js';
import { buildSnapshot, HOUR_MS, MINUTE_MS } from '../../server/store/snapshot.js';
import { type Survey, surveySchema, UNASSIGNED_AREA_ID } from '../../shared/schemas.js';
import { reply } from '../lib/children.js';
import { measureMemory, type TargetCommand, type TargetReply } from '../lib/protocol.js';
import { benchSurvey } from '../lib/webhooks.js';

const intervalMs = Number(process.env.STATS_INTERVAL_MS || 250);
const surveys = new Map<string, { survey: Survey; counts: SurveyCounts; dirty: boolean; timer: NodeJS.Timeout | undefined }>();
for (const id of (process.env.BENCH_SURVEYS ?? '').split(',').filter(Boolean)) {
  surveys.set(id, { survey: surveySchema.parse(benchSurvey(id)), counts: emptyCounts(), dirty: false, timer: undefined });
}
const ANSWER = JSON.stringify({ status: 'accepted' });

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false });
const live = io.of('/live');
const room = (surveyId: string) => `stats:${surveyId}`;

live.on('connection', (socket) => {
  socket.on('survey:subscribe', (request: { surveyId?: string }, ack: (result: unknown) => void) => {
    const entry = surveys.get(String(request?.surveyId));
    if (!entry) return ack({ ok: false, error: { code: 'not_found', message: 'no such survey' } });
    void socket.join(room(entry.survey.id));
    ack({ ok: true, snapshot: buildSnapshot(entry.survey, entry.counts) });
  });
});

function flush(surveyId: string): void {
  const entry = surveys.get(surveyId);
  if (!entry) return;
  if (!entry.dirty) {
    entry.timer = undefined;
    return;
  }
  entry.dirty = false;
  entry.timer = setTimeout(() => flush(surveyId), intervalMs);
  live.to(room(surveyId)).emit('survey:stats', buildSnapshot(entry.survey, entry.counts));
}

function count(body: string): void {
  const { data } = JSON.parse(body) as { data: { surveyId: string; areaId?: string; channel?: string } };
  const entry = surveys.get(data.surveyId);
  if (!entry) return;
  const now = Date.now();
  const c = entry.counts;
  const area = data.areaId ?? UNASSIGNED_AREA_ID;
  const channel = data.channel ?? 'unknown';
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  c.responses += 1;
  addTo(c.byArea, area);
  addTo(c.byChannel, channel);
  addTo(c.byHour, hour);
  addTo(c.byMinute, minute);
  c.lastReceivedAt = now;
  entry.dirty = true;
  if (!entry.timer) entry.timer = setTimeout(() => flush(data.surveyId), 0);
}

httpServer.on('request', (req, res) => {
  if (!req.url?.startsWith('/api/v1/webhooks/')) return;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    count(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(ANSWER) });
    res.end(ANSWER);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  void reply<TargetReply>({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (command: TargetCommand) => {
  if (command.type === 'count') {
    const { user, system } = process.cpuUsage();
    void reply<TargetReply>({
      type: 'count',
      surveyId: command.surveyId,
      responses: surveys.get(command.surveyId)?.counts.responses ?? 0,
      cpuMicros: user + system,
    });
  } else if (command.type === 'memory') {
    void reply<TargetReply>(measureMemory());
  } else if (command.type === 'stop') {
    for (const entry of surveys.values()) clearTimeout(entry.timer);
    io.close(async () => {
      await reply<TargetReply>({ type: 'stopped', deletedKeys: 0 });
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
