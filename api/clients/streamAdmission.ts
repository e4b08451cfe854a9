/**
 * The yoga plugin that holds each client to its open streams: a subscription takes a slot of its
 * client (the request's StreamTicket, from the HTTP layer) before it starts, or is refused with
 * RATE_LIMITED (the HTTP layer answers 429 with Retry-After).
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { StreamTicket } from './clientAdmission';

export function useStreamAdmission(): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const ticket = (args.contextValue as { streamTicket?: StreamTicket }).streamTicket;
      if (!ticket || ticket.take()) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError(`Too many open subscriptions from this client; retry in ${ticket.refusedFor} s`, {
            extensions: { code: 'RATE_LIMITED', retryAfter: ticket.refusedFor!, http: { status: 429 } },
          }),
        ],
      });
    },
  };
}
