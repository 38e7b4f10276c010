/**
 * Baseline for the ingest bench: bare node:http that reads each body in full and answers 200
 * with the app's own answer. No signature, parsing or store: the ceiling of Node's HTTP alone.
 */
import { createServer } from 'node:http';
import { reply } from '../lib/children.js';
import { measureMemory, type TargetCommand, type TargetReply } from '../lib/protocol.js';

const ANSWER = JSON.stringify({ status: 'accepted' });
let answered = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    answered += 1;
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(ANSWER) });
    res.end(ANSWER);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  void reply<TargetReply>({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (command: TargetCommand) => {
  if (command.type === 'count') {
    const { user, system } = process.cpuUsage();
    void reply<TargetReply>({ type: 'count', surveyId: command.surveyId, responses: answered, cpuMicros: user + system });
  } else if (command.type === 'memory') {
    void reply<TargetReply>(measureMemory());
  } else if (command.type === 'stop') {
    server.closeAllConnections();
    server.close(async () => {
      await reply<TargetReply>({ type: 'stopped', deletedKeys: 0 });
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
