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
      // issue 15 class 3, the safe-key idiom (src/table/safe-keys.ts): a name the user chose never keys a plain
      // object, whose prototype answers `__proto__`, `constructor`, `toString` …
      'no-prototype-builtins': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator='in']",
          message: '`in` also finds Object.prototype members: use hasOwnKey (table/safe-keys.ts) or a property test',
        },
        {
          selector:
            "VariableDeclarator[id.typeAnnotation.typeAnnotation.typeName.name='Record'][id.typeAnnotation.typeAnnotation.typeArguments.params.0.type='TSStringKeyword'] > ObjectExpression[properties.length=0]",
          message: 'a Record<string, …> keyed by names starts as nullRecord() or recordOf([...]) (table/safe-keys.ts)',
        },
        {
          selector: "AssignmentExpression[operator='??='] > ObjectExpression.right",
          message: 'a nested record keyed by names is nullRecord() (table/safe-keys.ts), not {}',
        },
      ],
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
