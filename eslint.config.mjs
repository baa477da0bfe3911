// ESLint flat config for the TypeScript labextension (prettier owns formatting).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'lib/',
      '.venv/',
      '.yarn/',
      'lamin_kernel/',
      'ui-tests/',
      'tests/',
      'benchmarks/',
      '**/*.d.ts'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['labextension/**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks },
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { ecmaFeatures: { jsx: true } }
    },
    settings: { react: { version: '18' } },
    rules: {
      ...react.configs.recommended.rules,
      'react/react-in-jsx-scope': 'off',
      'react/prop-types': 'off',
      'react/no-danger': 'error',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'off',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'none', varsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      curly: ['error', 'all'],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Render registry text as text.' },
        { property: 'outerHTML', message: 'Render registry text as text.' }
      ]
    }
  },
  {
    files: ['labextension/test/**/*.{ts,tsx}', '*.{js,mjs,mts}'],
    languageOptions: { globals: { ...globals.node } }
  },
  prettier
);
