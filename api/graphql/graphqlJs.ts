/**
 * graphql-js, for identity-free use: AST kinds, the lexer, pure helpers, and the tests.
 *
 * graphql 16 ships a CommonJS build (`main`) and an ESM build (`module`), and which one graphql-yoga
 * ends up with depends on who loads it: Node (vitest externalizes yoga: CommonJS) or Vite (Ponder's
 * build runs yoga through vite-node: ESM). Two copies mean graphql's `instanceof` checks fail across
 * them. So the API's runtime code never relies on class identity: errors are made with yoga's
 * `createGraphQLError` (yoga's own copy), recognized by their tag, not `instanceof`, and scalars are
 * handed over as plain functions. This module names the CommonJS file so that tests, which build
 * schemas and print them, share yoga's copy under vitest.
 */
export * from 'graphql/index.js';
