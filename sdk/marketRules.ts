/**
 * LoomMarket's fixed rules (contracts/src/base/MarketConfig.sol constants), for clients that check
 * terms before signing: a post the contract would refuse should cost no transaction. A test reads
 * each one from a deployed contract, so these cannot drift from the Solidity.
 */

/** `openUntil` may lie at most this far (seconds) after the post. */
export const MAX_OPEN_PERIOD = 90 * 86_400;
/** The longest execution timeout (seconds). */
export const MAX_EXECUTION_TIMEOUT = 30 * 86_400;
/** The longest challenge window (seconds). */
export const MAX_CHALLENGE_WINDOW = 30 * 86_400;
/** Seconds after `openUntil` during which an auction's client may still accept a bid. */
export const ACCEPT_WINDOW = 86_400;
/** Seconds the arbiter has to resolve a dispute before either side may settle it as timed out. */
export const ARBITRATION_PERIOD = 7 * 86_400;

/**
 * Not a contract rule but the worker's default (LOOM_RESERVE_SECONDS): the time a worker keeps
 * beyond the spec's own timeout for inputs, packing, upload and the submit. A job whose execution
 * timeout leaves less is one no default worker takes.
 */
export const WORKER_RESERVE_SECONDS = 120;
