import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.next/',
      '.next-*/',
      '.build/',
      '.data/',
      'lib/generated/',
      'test-results/',
      'playwright-report/',
      'artifacts/',
      'next-env.d.ts',
      'cli/_*',
      'labs/*/starter/**',
      'labs/*/solution/**',
      'labs/*/cases/**',
      'labs/*/variants/**',
      'labs/*/grader/**/*.js',
      'labs/*/grader/data/**',
      'tests/fixtures/labs/*/solution/**',
    ],
  },
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
    // A grader runs alone in its container: it imports the grader kit and its own folder (and npm packages), nothing
    // of the web app or the engine. Its unit tests may read the lab through lib/labs.
    files: ['labs/*/grader/**/*.ts'],
    ignores: ['labs/*/grader/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!\\.\\./\\.\\./grader-kit/)', message: 'A grader imports only grader-kit/ and its own folder.' },
            { regex: '^@/', message: 'A grader imports only grader-kit/ and its own folder.' },
          ],
        },
      ],
    },
  },
  {
    // The kit is bundled into every grader image: nothing from lib/, app/ or elsewhere in the repository.
    files: ['grader-kit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\.(/|$)', message: 'grader-kit imports only its own modules and npm packages.' },
            { regex: '^@/', message: 'grader-kit imports only its own modules and npm packages.' },
          ],
        },
      ],
    },
  },
  {
    // The domain (lib/) runs in the web, the worker and the CLI alike: nothing in it may depend on Next, next-auth or
    // the web app (app/_server/ holds what is bound to Next: actions, route handlers, the session, the language cookie).
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'next', message: 'lib/ is the domain: Next-bound code goes in app/_server/.' },
            { name: 'next-auth', message: 'lib/ is the domain: the session and next-auth options are in app/_server/.' },
          ],
          patterns: [
            { group: ['next/*', 'next-auth/*'], message: 'lib/ is the domain: Next-bound code goes in app/_server/.' },
            { group: ['@/app', '@/app/*', '**/app/*', '@/components/*'], message: 'lib/ must not import the web app.' },
          ],
        },
      ],
    },
  },
  {
    // lib/grading is the engine shared by the worker and `bin/lms grade`: Docker, images, sandboxes, results. It knows
    // no database and no submission lifecycle (lib/submissions), and nothing of Next (this block repeats lib/'s rule,
    // because a later block for the same files replaces it).
    files: ['lib/grading/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'next', message: 'lib/ is the domain: Next-bound code goes in app/_server/.' },
            { name: 'next-auth', message: 'lib/ is the domain: the session and next-auth options are in app/_server/.' },
          ],
          patterns: [
            { group: ['next/*', 'next-auth/*'], message: 'lib/ is the domain: Next-bound code goes in app/_server/.' },
            { group: ['@/app', '@/app/*', '**/app/*', '@/components/*'], message: 'lib/ must not import the web app.' },
            {
              group: ['../db', '@/lib/db', '**/generated/prisma/*', '../submissions/*', '@/lib/submissions/*', '../queue', '@/lib/queue'],
              message: 'lib/grading is the database-free engine: the submission lifecycle is in lib/submissions.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pages, actions and route handlers never query the database: each query is a domain function in lib/ that takes
    // the acting user and checks access next to the data.
    files: ['app/**/*.ts', 'app/**/*.tsx', 'components/**/*.ts', 'components/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/db', '**/lib/db', '@/lib/generated/prisma/client', '**/generated/prisma/client'],
              message: 'Query through a domain function in lib/ that takes the acting user and checks access next to the data.',
            },
          ],
        },
      ],
    },
  },
  {
    // Settings are read in one place, lib/env.ts (schema, default, README's table). Code that runs inside containers
    // (grader-kit/, the workspace agent and tools) reads the environment the engine gives it; tests set their own.
    files: ['lib/**/*.ts', 'lib/**/*.tsx', 'app/**/*.ts', 'app/**/*.tsx', 'components/**/*.tsx', 'worker/**/*.ts', 'cli/**/*.ts', 'server.ts'],
    ignores: ['lib/env.ts', 'lib/workspaces/agent/**', 'lib/workspaces/tools/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']",
          message: 'Read settings through getEnv() of lib/env.ts (add the variable there, with its README row).',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
