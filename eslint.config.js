// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layering from './eslint/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'renderer/dist/**', 'portal/web/dist/**', '.data/**', 'release/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,cts,js}'],
    languageOptions: { globals: { ...globals.node } },
    plugins: { local: layering },
    rules: {
      'local/layering': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'portal/web/**/*.{ts,tsx}', 'common/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Entry points and CLIs print by design; benchmarks print JSON lines.
    files: ['scripts/**', 'bench/**', 'main/browser-host/cli.ts', 'portal/cli.ts', 'devices/**/cli.ts', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
