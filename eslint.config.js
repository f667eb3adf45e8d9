import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layering of STYLE.md, enforced: domain is pure, http and cli never touch the store,
// and only the composition roots (main.ts, cli serve) import a concrete adapter.
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts', 'src/domain/**/test-kit.ts', 'src/domain/**/*.fixture.ts'],
    rules: restrict(
      ['node:*', 'fs', 'path', 'crypto', '**/service/**', '**/store/**', '**/http/**', '**/cli/**', '**/client/**', 'fastify', 'kysely', 'pg', 'better-sqlite3'],
      'src/domain is pure: no I/O, no other layer.',
    ),
  },
  {
    files: ['src/service/**/*.ts'],
    ignores: ['src/service/**/*.test.ts'],
    rules: restrict(['**/store/**', '**/http/**', '**/cli/**', 'fastify', 'kysely', 'pg', 'better-sqlite3'], 'src/service talks to storage only through ports.ts.'),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict(['**/http/**', '**/cli/**', '**/client/**', 'fastify'], 'src/store implements service/ports.ts and nothing above it.'),
  },
  {
    files: ['src/http/**/*.ts'],
    ignores: ['src/http/**/*.test.ts'],
    rules: restrict(['**/store/**', '**/cli/**', 'kysely', 'pg', 'better-sqlite3'], 'src/http goes through src/service, never the store.'),
  },
  {
    files: ['src/client/**/*.ts'],
    rules: restrict(['**/store/**', '**/http/**', '**/service/**', '**/cli/**', '**/main.js'], 'src/client speaks HTTP only.'),
  },
  {
    files: ['src/cli/**/*.ts'],
    // serve and the database commands run on the server's machine and load the server's code lazily.
    // test-server.ts starts the app the CLI tests then reach only over HTTP.
    ignores: ['src/cli/**/*.test.ts', 'src/cli/test-server.ts', 'src/cli/commands/serve.ts', 'src/cli/commands/database.ts'],
    rules: restrict(['**/store/**', '**/http/**', '**/service/**', 'kysely', 'pg', 'better-sqlite3'], 'src/cli talks to the server only through src/client.'),
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: restrict(['**/src/store/**', '**/src/http/**', '**/src/service/**', '**/src/cli/**'], 'web imports only src/client.'),
  },
);
