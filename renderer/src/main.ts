import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createKioskI18n } from './i18n';
import { useKioskStore } from './stores/kiosk';
import { useKioskApi } from './api/kiosk';
import { pageAt } from './route';
import './styles/kiosk.css';

const pinia = createPinia();
createApp(App).use(pinia).use(createKioskI18n()).mount('#app');

// A kiosk screen: no context menu on long press, no dragging, no ctrl+wheel or gesture zoom
// (pinch zoom is off in the viewport meta; double-tap zoom by touch-action in the styles).
document.addEventListener('contextmenu', (e) => e.preventDefault());
document.addEventListener('dragstart', (e) => e.preventDefault());
document.addEventListener('wheel', (e) => e.ctrlKey && e.preventDefault(), { passive: false });
document.addEventListener('gesturestart', (e) => e.preventDefault());

// The console page (a classroom's trainer) watches every station instead of being one kiosk; its
// code is loaded only there.
if (pageAt(location) === 'console') void import('./console/connect').then((m) => m.openConsole(pinia));
else void useKioskStore(pinia).connect(useKioskApi());
