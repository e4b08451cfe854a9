/**
 * Loom's typed SDK: reads through the GraphQL API (documents typed from api/graphql/schema.graphql), writes
 * as LoomMarket transactions (calls typed from the generated ABI), simulated before they are signed.
 * Used by the CLI, the worker and the web UI alike. See README.md ("Typed SDK").
 *
 * @example
 * import { createLoomReader, createMarketWriter, JobsQuery } from './sdk';
 * const reader = createLoomReader({ url: 'http://127.0.0.1:42069' });
 * const { jobs } = await reader.query(JobsQuery, { filter: { status: ['OPEN'] } });
 */
export { graphql, readFragment, type FragmentOf, type Hex, type ResultOf, type TadaDocumentNode, type VariablesOf } from './graphql';
export * from './documents';
export { createLoomReader, LoomApiError, type LoomApiErrorCode, type LoomReader, type LoomReaderOptions, type LoomSubscription } from './reads';
export {
  createMarketWriter,
  specBytes,
  TxError,
  type HardwareClaim,
  type JobParams,
  type MarketFunctionArgs,
  type MarketFunctionName,
  type MarketWriter,
  type MarketWriterOptions,
  type PostedJob,
  type Sent,
  type SpecInput,
  type TermsInput,
  type TxOutcome,
} from './writes';
export { decodeRevert, decodeRevertData, formatRevert, type DecodedRevert } from './revert';
export { jobIdOf, MODE, toContractTerms, type ApiJobTerms, type JobTerms } from './jobTerms';
export * from './marketRules';
export { LoomError } from './errors';
export { loomMarketAbi } from '../abis/generated';
