/**
 * The simulated clock, ticking between snapshots. A snapshot says what time the core's (possibly
 * shifted or frozen) clock showed when it was made; the header keeps counting from there at the
 * real clock's pace, except when the trainer froze the time.
 */
import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';
import type { Snapshot } from '@contract/kiosk';

/** The simulated time at `realNow`, given the last snapshot's clock and when it arrived. */
export function simulatedNow(clock: Snapshot['clock'], receivedAt: number, realNow: number): number {
  return clock.mode === 'fixed' ? clock.now : clock.now + Math.max(0, realNow - receivedAt);
}

export function useSimulatedNow(snapshot: Ref<Snapshot | null>, tickMs = 10_000): Ref<number | null> {
  const receivedAt = ref(Date.now());
  const realNow = ref(receivedAt.value);
  watch(snapshot, () => {
    receivedAt.value = Date.now();
    realNow.value = receivedAt.value;
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (realNow.value = Date.now()), tickMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return computed(() => (snapshot.value === null ? null : simulatedNow(snapshot.value.clock, receivedAt.value, realNow.value)));
}
