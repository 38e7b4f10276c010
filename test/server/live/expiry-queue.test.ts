/** The expiry queue alone (expiry-queue.ts): one timer for every item, armed for the earliest, on a fake clock. */
import { expect, it } from 'vitest';
import { ExpiryQueue, MAX_TIMER_MS } from '../../../server/live/expiry-queue.js';
import { FakeClock } from './live-helpers.js';

it('ends the items due at each time once, in time order, on one timer', () => {
  const clock = new FakeClock();
  const ended: string[] = [];
  const queue = new ExpiryQueue<string>(clock, (item) => ended.push(item));
  const start = clock.now();
  queue.add('b', start + 2000);
  queue.add('a', start + 1000);
  queue.add('a2', start + 1000);
  queue.add('a2', start + 1000);
  expect(queue.size).toBe(3);
  expect(clock.pending.size).toBe(1);

  expect(clock.fireNext()).toBe(1000);
  expect(ended).toEqual(['a', 'a2']);
  expect(clock.pending.size).toBe(1);
  expect(clock.fireNext()).toBe(1000);
  expect(ended).toEqual(['a', 'a2', 'b']);
  expect(queue.size).toBe(0);
  expect(queue.armed).toBe(false);
  expect(clock.pending.size).toBe(0);
});

it('re-arms for the next time when the earliest items are deleted, and disarms with the last', () => {
  const clock = new FakeClock();
  const queue = new ExpiryQueue<string>(clock, () => {});
  const start = clock.now();
  queue.add('soon', start + 1000);
  queue.add('later', start + 5000);
  queue.delete('soon', start + 1000);
  // Deleting what is not there (or not at that time) changes nothing.
  queue.delete('later', start + 1000);
  queue.delete('never', start + 9000);
  expect(queue.size).toBe(1);
  expect([...clock.pending.values()].map(({ at }) => at)).toEqual([start + 5000]);
  queue.delete('later', start + 5000);
  expect(queue.size).toBe(0);
  expect(clock.pending.size).toBe(0);
});

it('waits for a time past the longest timer in steps, and ends its items only then', () => {
  const clock = new FakeClock();
  const ended: string[] = [];
  const queue = new ExpiryQueue<string>(clock, (item) => ended.push(item));
  const at = clock.now() + MAX_TIMER_MS + 1234;
  queue.add('month', at);
  expect(clock.fireNext()).toBe(MAX_TIMER_MS);
  expect(ended).toEqual([]);
  expect(clock.fireNext()).toBe(1234);
  expect(clock.now()).toBe(at);
  expect(ended).toEqual(['month']);
});

it('ends the other items due and re-arms when ending one throws, then throws its error', () => {
  const clock = new FakeClock();
  const ended: string[] = [];
  const queue = new ExpiryQueue<string>(clock, (item) => {
    if (item === 'bad') throw new Error('boom');
    ended.push(item);
  });
  const start = clock.now();
  queue.add('bad', start + 1000);
  queue.add('good', start + 1000);
  queue.add('next', start + 2000);
  expect(() => clock.fireNext()).toThrow('boom');
  expect(ended).toEqual(['good']);
  expect(queue.size).toBe(1);
  expect(clock.fireNext()).toBe(1000);
  expect(ended).toEqual(['good', 'next']);
});
