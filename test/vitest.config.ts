import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Three groups: `unit` tests run in parallel, `center-postgres` (the center's tests on PostgreSQL)
// beside them; `pcsc` tests share the real pcscd and its two vpcd slots, so they run one file at a
// time, after the unit group.
export default defineConfig({
  // Renderer tests (test/unit/renderer-*) mount .vue screens, resolved as the renderer build does.
  plugins: [vue()],
  resolve: {
    alias: [
      { find: '@domain', replacement: path.join(root, 'electron/domain') },
      { find: '@contract', replacement: path.join(root, 'electron/contract') },
      { find: /^vue-i18n$/, replacement: 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' },
    ],
  },
  test: {
    root,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/center-postgres.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The center's tests again, on a real PostgreSQL server this group starts (and the tests
        // only PostgreSQL has). Not the SQLite storage's own memory test, nor those with no storage.
        extends: true,
        test: {
          name: 'center-postgres',
          include: ['test/unit/center-*.test.ts'],
          exclude: ['test/unit/center-storage-memory.test.ts', 'test/unit/center-request-log.test.ts'],
          env: { CENTER_TEST_DB: 'postgres' },
          globalSetup: ['test/unit/postgres-global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'pcsc',
          include: ['test/pcsc/**/*.test.ts'],
          globalSetup: ['test/pcsc/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
