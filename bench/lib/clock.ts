/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every bench process stamps times with
 * this, so a webhook's send time (load generator) and its arrival on a client (clients process)
 * can be subtracted: both derive from the same system clock on this one machine.
 */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
