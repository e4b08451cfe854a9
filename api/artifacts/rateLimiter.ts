/** Moved to api/clients/rateLimiter.ts (shared with the GraphQL limits); kept for the artifact routes. */
export { type RateDecision, type RateLimit, RateLimiter } from '../clients/rateLimiter';
