/**
 * The one urql client of the app: queries over fetch, subscriptions over Server-Sent Events
 * (graphql-sse, the protocol the API speaks). No document cache: every view is kept live by the
 * app's one event stream (liveFeed), which tells views when to read again.
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';

export function createGraphqlClient(graphqlUrl: string): Client {
  const sse = createSseClient({
    url: graphqlUrl,
    // The live feed resubscribes itself with its last cursor; a blind retry would resend the old one.
    retryAttempts: 0,
  });
  return new Client({
    url: graphqlUrl,
    requestPolicy: 'network-only',
    preferGetMethod: false,
    exchanges: [
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = sse.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
      fetchExchange,
    ],
  });
}
