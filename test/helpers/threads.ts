import { readFileSync } from 'node:fs';

/** OS threads of this process (Linux): each worker thread adds some, a terminated one gives them back. */
export const osThreads = (): number => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The thread count once it has come down to `limit` or below, polling: a terminated worker's OS thread leaves a
 * little after `terminate()` resolves, later still on a loaded machine, so a fixed pause is a race. Gives up (and
 * returns the count, for the caller's assertion to fail on) only after `patienceMs`, which no loaded machine needs:
 * a leaked worker never leaves.
 */
export async function threadsDownTo(limit: number, patienceMs = 120_000): Promise<number> {
  const until = Date.now() + patienceMs;
  let count = osThreads();
  while (count > limit && Date.now() < until) {
    await pause(20);
    count = osThreads();
  }
  return count;
}

/**
 * The thread count once it has stopped changing (the same over five reads 20 ms apart): the baseline before a
 * leak check, taken after a warm-up whose own threads may still be leaving.
 */
export async function steadyThreads(): Promise<number> {
  let last = osThreads();
  for (let same = 0; same < 5;) {
    await pause(20);
    const now = osThreads();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}
