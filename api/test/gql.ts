/**
 * Posts a GraphQL operation to the app without opening a port (Hono's app.request).
 */
import type { Hono } from 'hono';

export type GraphQLResponse = {
  status: number;
  headers: Headers;
  // biome-ignore lint: test helper, responses are checked field by field.
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[]; locations?: unknown }[] };
  text: string;
};

export async function gql(
  app: Hono,
  query: string,
  variables?: Record<string, unknown>,
  init: { headers?: Record<string, string>; operationName?: string } = {},
): Promise<GraphQLResponse> {
  const res = await app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...init.headers },
    body: JSON.stringify({ query, variables, operationName: init.operationName }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text), text };
}

/** The codes of a response's errors. */
export const codes = (r: GraphQLResponse) => (r.body.errors ?? []).map((e) => e.extensions?.code);
