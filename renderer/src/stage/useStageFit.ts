/** The stage's fit to the window, kept up to date as the window turns or is resized. */
import { onBeforeUnmount, onMounted, shallowRef, type ShallowRef } from 'vue';
import { fitStage, type StageFit } from './stage-fit';

function current(): StageFit {
  return fitStage(typeof window === 'undefined' ? { width: 0, height: 0 } : { width: window.innerWidth, height: window.innerHeight });
}

export function useStageFit(): ShallowRef<StageFit> {
  const fit = shallowRef(current());
  const update = () => (fit.value = current());
  onMounted(() => {
    update();
    window.addEventListener('resize', update);
  });
  onBeforeUnmount(() => window.removeEventListener('resize', update));
  return fit;
}
