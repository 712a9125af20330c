/**
 * Test harness for a classroom's pages: the renderer's own entry (main.ts: App, stores, styles,
 * i18n, the console chosen by path) over the fake classroom of console-fake.ts, imported first so
 * window.kiosk is there when main.ts looks. Served only by classroom-pages.spec.ts.
 */
import './console-fake';
import '../../../renderer/src/main';
