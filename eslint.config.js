import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', '.next-*/', '.build/', '.data/', 'lib/generated/', 'test-results/', 'playwright-report/', 'artifacts/', 'next-env.d.ts', 'cli/_*.mts', 'labs/*/starter/**', 'labs/*/solution/**', 'labs/*/cases/**', 'labs/*/variants/**', 'labs/*/grader/**/*.js', 'labs/*/grader/data/**', 'tests/fixtures/labs/*/solution/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
