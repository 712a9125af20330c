// ESLint flat config. Kept under .config/ so the top level stays as the project's layout fixes it;
// `npm run lint` passes --config explicitly (paths below are relative to the working directory).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'native/**/build/**', 'bench/results/**', 'test/e2e/.results/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['electron/**/*.ts', 'native/**/*.ts', 'test/**/*.{ts,mts}', 'bench/**/*.ts', '*.ts', '.config/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  ...importBoundaries(),
);

// Import boundaries: which part of the tree may import which. The direction is
//   renderer ──(@contract, @domain only)──► electron/contract, electron/domain
//   electron/** ──► native/** ──► nothing of electron/ or renderer/
// and the production JPKI client (electron/jpki) never imports the simulator card (native/card):
// what both need (AIDs, the simulator marker, TLV, password rules) lives in native/jpki and
// native/apdu, which may not import the card either. Only the thin shell (electron/main,
// electron/preload) may import the electron package. test/unit/import-boundaries.test.ts checks
// that each rule fires.
//
// Built on no-restricted-imports (static imports and export … from) plus no-restricted-syntax for
// import(). Both match the import text, not the resolved file, hence the folder-segment patterns.
// ESLint applies the options of the last config object that sets a rule for a file, so the areas
// below do not overlap and each lists every restriction that applies to it.
function importBoundaries() {
  // A relative specifier that steps into a folder whose path ends in `folder`.
  const relativeInto = (folder) => `^\\.{1,2}/(?:.*/)?${folder}(?:/|$)`;
  const shellOnly = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
  const nativeUp = {
    regex: relativeInto('(?:electron|renderer)'),
    message: 'native/ is below the app: it may not import electron/ or renderer/. Move the shared fact into native/.',
  };
  const nativeAlias = { regex: '^@(?:contract|domain)(?:/|$)', message: 'native/ may not import electron/ (the @contract and @domain aliases point there).' };
  const sharedToCard = {
    regex: relativeInto('card'),
    message: 'native/jpki and native/apdu are what the kiosk shares with the card: they may not import the simulator card (native/card).',
  };
  const jpkiToCard = {
    regex: relativeInto('native/card'),
    message: 'The production JPKI client may not import the simulator card (native/card); shared facts live in native/jpki and native/apdu.',
  };
  const rendererIntoCore = {
    regex: relativeInto('(?:electron|native)'),
    message: 'The renderer imports the core only through @contract/… and @domain/….',
  };
  const rendererAliasEscape = { regex: '^@(?:contract|domain)/(?:.*/)?\\.\\.(?:/|$)', message: 'No `..` after @contract/ or @domain/: each alias is the one way into its folder.' };

  const area = (files, ignores, paths, patterns) => ({
    files,
    ignores,
    rules: {
      'no-restricted-imports': ['error', { paths, patterns }],
      'no-restricted-syntax': [
        'error',
        ...paths.map((p) => ({ selector: `ImportExpression[source.value="${p.name}"]`, message: p.message })),
        // A selector's regex literal ends at the first unescaped '/'.
        ...patterns.map((p) => ({ selector: `ImportExpression[source.value=/${p.regex.replaceAll('/', '\\/')}/]`, message: p.message })),
      ],
    },
  });

  return [
    area(['native/jpki/**/*.ts', 'native/apdu/**/*.ts'], [], [shellOnly], [nativeUp, nativeAlias, sharedToCard]),
    area(['native/**/*.ts'], ['native/jpki/**', 'native/apdu/**'], [shellOnly], [nativeUp, nativeAlias]),
    area(['electron/jpki/**/*.ts'], [], [shellOnly], [jpkiToCard]),
    area(['electron/**/*.ts'], ['electron/main/**', 'electron/preload/**', 'electron/jpki/**'], [shellOnly], []),
    area(['renderer/**/*.{ts,vue}'], [], [shellOnly], [rendererIntoCore, rendererAliasEscape]),
  ];
}
