import type { CodegenConfig } from '@graphql-codegen/cli';

// Only the schema's enums: the shared code names note categories and statuses, while each app
// generates its own operation types (their unions are the same strings, so they fit).
const config: CodegenConfig = {
  schema: '../schema.graphql',
  generates: {
    './src/schema.ts': {
      plugins: ['typescript'],
      config: { onlyEnums: true, enumsAsTypes: true, useTypeImports: true },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write'] },
};

export default config;
