// ESLint (flat config): typescript-eslint's recommended rules on the whole project, plus the house rules of
// STYLE.md that a machine can check. Formatting is Prettier's job (`npm run format:check`), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  performance: 'readonly',
  Buffer: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'node_modules/**', 'coverage/**', 'test/artifacts/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // hot loops declare their running state before a labelled loop that always assigns it
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // STYLE 11: no console in the library; results carry warnings instead
      'no-console': 'error',
      // STYLE: a body over ~80 lines needs a reason, given in an eslint-disable comment (a hot kernel, one spec)
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, module: 'writable', require: 'readonly' } },
  },
  {
    // the Deno parity script imports Deno's npm: and file specifiers that tsc cannot resolve
    files: ['test/deno/**'],
    rules: { '@typescript-eslint/ban-ts-comment': 'off' },
  },
);
