// ESLint: TypeScript's recommended rules over the whole source tree, plus the layering rule of
// docs/ARCHITECTURE.md: protocol/ (the contract) imports nothing of ours but itself; ui/ (views
// both sides render) never reaches into server/, client/ or db/; server/ never imports client/.
import tseslint from 'typescript-eslint';

const forbid = (...folders) => ({
  'no-restricted-imports': ['error', {
    patterns: folders.map((folder) => ({
      regex: `^(\\.\\.?/)+(.*/)?${folder}/`,
      message: `This layer may not import ${folder}/ (see docs/ARCHITECTURE.md, "Layers").`,
    })),
  }],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'db/migrations/', 'coverage/', '.scratch/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['protocol/**'], rules: forbid('server', 'client', 'ui', 'db') },
  { files: ['ui/**'], rules: forbid('server', 'client', 'db') },
  { files: ['server/**', 'db/**'], rules: forbid('client') },
  { files: ['client/**'], rules: forbid('server', 'db') },
);
