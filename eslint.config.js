// Lint rules: typescript-eslint's recommended set, plus the layer order of docs/architecture.md as
// no-restricted-imports (test/architecture/imports.test.ts checks the same order from the source).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layer levels (as in test/architecture/imports.test.ts): a file may import only lower levels, or a leaf. */
const LEVEL = {
  cli: 8,
  app: 7,
  edge: 6,
  routing: 5,
  composite: 4,
  search: 4,
  codemode: 4,
  aggregation: 3,
  health: 3,
  backends: 2,
  auth: 1,
};
const ORDER = Object.keys(LEVEL);
const LEAVES = ['protocol', 'config', 'errors', 'observability', 'state'];

const layerRules = ORDER.map((layer) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: ORDER.filter((other) => other !== layer && LEVEL[other] >= LEVEL[layer]).map((above) => ({
          group: [`**/${above}/*`, `**/${above}`],
          message: `src/${layer} may not import from src/${above} (not a lower layer; see docs/architecture.md)`,
        })),
      },
    ],
  },
}));

const leafRules = LEAVES.map((leaf) => ({
  files: [`src/${leaf}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        // protocol/ is the most basic leaf: the other leaves may use its wire vocabulary.
        patterns: [...ORDER, ...LEAVES.filter((l) => l !== leaf && l !== 'protocol')].map((other) => ({
          group: [`../${other}/*`, `../../${other}/*`],
          message: `src/${leaf} is a leaf: it imports nothing else of ours (see docs/architecture.md)`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'bench/results/**', 'test/conformance/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        Headers: 'readonly',
        Request: 'readonly',
        Response: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
      // ANSI colour codes in terminal output are matched on purpose.
      'no-control-regex': 'off',
    },
  },
  ...layerRules,
  ...leafRules,
);
