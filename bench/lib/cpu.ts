/**
 * CPU time spent per request, by process: steadier than requests/s on a shared machine, and it
 * shows who is the bottleneck (a server idling while the load generator is busy measures the generator).
 */
import { createClient } from 'redis';

export const ownCpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Redis's own CPU time (INFO cpu), in microseconds. On a shared Redis it includes everyone's commands. */
export async function redisCpuMicros(url: string): Promise<number> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    const info = await client.info('cpu');
    const field = (name: string) => Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))?.[1] ?? Number.NaN);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
  } finally {
    await client.quit();
  }
}

/** CPU spent per request in each process while `work` ran. */
export interface CpuPerRequest {
  serverMicros: number;
  redisMicros: number;
  loadGeneratorMicros: number;
}
