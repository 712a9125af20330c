/** The real Scheduler: monotonic time (performance.now), so a clock jump never fires a countdown early. */
import { performance } from 'node:perf_hooks';
import type { Scheduler } from '../ports';

export const systemScheduler: Scheduler = {
  monotonicMs: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
