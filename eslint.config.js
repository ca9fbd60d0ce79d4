import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'data/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layers: analysis and model do no I/O and never import upper layers (docs/adr/0002-layers.md).
    files: ['src/model/**/*.ts', 'src/analysis/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'pg', '@electric-sql/*', 'kysely'], message: 'model and analysis do no I/O' },
            { group: ['**/store/**', '**/api/**', '**/cli/**', '**/ingest/**'], message: 'lower layers never import upper ones' },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'inject a clock' }, { object: 'process', property: 'env', message: 'only src/settings.ts reads the environment' }],
    },
  },
);
