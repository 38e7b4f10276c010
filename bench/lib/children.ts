/**
 * Forks the bench's TypeScript processes (servers under test, the clients process) with an IPC
 * channel. The load generator must not share a process, or a core, with what it measures.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Message } from './protocol.js';

const PROFILE_DIR = fileURLToPath(new URL('../results/profiles/', import.meta.url));
const running = new Set<ChildProcess>();

// A crashed or interrupted orchestrator must not leave servers or 2,000 sockets behind. SIGTERM,
// not SIGKILL: the app target handles it by removing its Redis keys before it exits.
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** Asks every running child to stop (SIGTERM) and waits up to `graceMs` before killing the rest. */
export async function stopAllChildren(graceMs = 10_000): Promise<void> {
  const children = [...running];
  const exited = children.map(
    (child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))),
  );
  for (const child of children) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}

export class Child<Command extends Message, Reply extends Message> {
  private readonly inbox: Reply[] = [];
  private readonly waiters: { type: string; resolve: (m: Reply) => void; reject: (e: Error) => void }[] = [];
  private exitError: Error | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    process.on('message', (message: Reply) => {
      const waiter = this.waiters.findIndex((w) => w.type === message.type || message.type === 'failed');
      if (waiter >= 0) {
        const [w] = this.waiters.splice(waiter, 1);
        if (message.type === 'failed' && w?.type !== 'failed') w?.reject(new Error(`${name}: ${(message as Message & { error?: string }).error}`));
        else w?.resolve(message);
      } else this.inbox.push(message);
    });
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        running.delete(process);
        this.exitError = new Error(`${name} exited (code ${code}, signal ${signal})`);
        for (const w of this.waiters.splice(0)) w.reject(this.exitError);
        resolve();
      });
    });
  }

  send(command: Command): void {
    this.process.send(command);
  }

  /** The next message of `type` (a "failed" message or the child's exit rejects). */
  next<T extends Reply['type']>(type: T, timeoutMs: number): Promise<Extract<Reply, { type: T }>> {
    const queued = this.inbox.findIndex((m) => m.type === type);
    if (queued >= 0) return Promise.resolve(this.inbox.splice(queued, 1)[0] as Extract<Reply, { type: T }>);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        type,
        resolve: (m: Reply) => {
          clearTimeout(timer);
          resolve(m as Extract<Reply, { type: T }>);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends `command`, waits for the reply of `type`. */
  request<T extends Reply['type']>(command: Command, type: T, timeoutMs: number): Promise<Extract<Reply, { type: T }>> {
    const reply = this.next(type, timeoutMs);
    this.send(command);
    return reply;
  }

  /** Waits for the child to exit on its own (after a stop command), killing it after `graceMs`. */
  async exit(graceMs = 5000): Promise<void> {
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Forks `script` under tsx. With BENCH_CPU_PROF=1 each child writes a V8 CPU profile to
 * bench/results/profiles/ when it exits (open it in Chrome DevTools or speedscope).
 */
export function forkChild<Command extends Message, Reply extends Message>(name: string, script: URL, env: Record<string, string> = {}): Child<Command, Reply> {
  const profile = process.env.BENCH_CPU_PROF === '1';
  if (profile) mkdirSync(`${PROFILE_DIR}${name}`, { recursive: true });
  const child = fork(fileURLToPath(script), [], {
    // One directory per child: V8 writes a profile per thread (tsx's loader runs in a worker thread too).
    // --expose-gc: targets collect garbage before they report memory (protocol.ts measureMemory).
    execArgv: ['--import', 'tsx', '--expose-gc', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}${name}`] : [])],
    env: { ...process.env, ...env },
    // Typed arrays (send times) cross the channel without a JSON round trip.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  return new Child<Command, Reply>(name, child);
}

/** Replies to the parent (a child is only ever started by forkChild); resolves once sent. */
export function reply<Reply extends Message>(message: Reply): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}
