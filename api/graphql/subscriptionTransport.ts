/**
 * Subscriptions travel as Server-Sent Events (yoga's built-in SSE): a request that cannot take them
 * is refused before the subscription starts.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Whether an Accept header lets yoga answer with Server-Sent Events. */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === 'text/event-stream' || type === 'text/*' || type === '*/*';
  });
}

/**
 * Refuses a subscription that cannot be streamed back (the client does not accept
 * text/event-stream) BEFORE it starts: yoga would otherwise subscribe, then answer a bare 406 and
 * never end the stream it opened.
 */
export function useSubscriptionTransport(): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (acceptsEventStream(request?.headers.get('accept'))) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError('Subscriptions are served as Server-Sent Events: send Accept: text/event-stream', {
            extensions: { code: 'BAD_REQUEST', http: { status: 406 } },
          }),
        ],
      });
    },
  };
}
