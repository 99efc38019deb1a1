import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/gql'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Code flows one way: app → features → shared (components, lib, hooks). Features do
      // not import each other; shared code imports no feature.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...['auth', 'library', 'notes', 'player', 'settings', 'devices', 'admin'].map(
              (feature) => ({
                target: `./src/features/${feature}`,
                from: './src/features',
                except: [`./${feature}`],
                message: 'features do not import each other; compose them in src/app',
              }),
            ),
            {
              target: ['./src/components', './src/lib', './src/hooks'],
              from: ['./src/features', './src/app'],
              message: 'shared code must not depend on features or routes',
            },
            {
              target: './src/features',
              from: './src/app',
              message: 'features do not import routes',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '*.config.ts', 'codegen.ts', 'vitest.setup.ts'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
