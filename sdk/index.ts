/**
 * Loom's typed SDK, the browser-safe entry: reads through the GraphQL API (documents typed from
 * api/graphql/schema.graphql), writes as transactions to the contract set (registry, single-worker and
 * replicated markets; calls typed from the generated ABIs),
 * simulated before they are signed, and the market's model every client shares: job parameters and
 * their bounds, models (publishing, their fees on a job) and worker pools, the contract's enums, typed event payloads, receipts, tokens and formatting. Used by
 * the CLI, the worker and the web UI alike. What needs Node (keys, output packing, the chain
 * connection and the deployment record) is in ./node.ts. See README.md ("Typed SDK").
 *
 * @example
 * import { createLoomReader, createMarketWriter, JobsQuery } from './sdk';
 * const reader = createLoomReader({ url: 'http://127.0.0.1:42069' });
 * const { jobs } = await reader.query(JobsQuery, { filter: { status: ['OPEN'] } });
 */
export { graphql, readFragment, type FragmentOf, type Hex, type ResultOf, type TadaDocumentNode, type VariablesOf } from './graphql';
export * from './documents';
export { createLoomReader, LoomApiError, type LoomApiErrorCode, type LoomReader, type LoomListener, type LoomReaderOptions, type LoomSubscription } from './reads';
export {
  createMarketWriter,
  specBytes,
  type CreditHolder,
  TxError,
  type HardwareClaim,
  type JobParams,
  type MarketFunctionArgs,
  type MarketFunctionName,
  type MarketWriter,
  type MarketWriterOptions,
  type PaymentAuthorization,
  type PostedJob,
  type PostedReplicatedJob,
  type ReplicatedJobParams,
  type ReplicatedJobTerms,
  type Sent,
  type SpecInput,
  type TermsInput,
  type TxOutcome,
} from './writes';
export * from './modelWrites';
export * from './modelParams';
export * from './modelCost';
export * from './modelUpload';
export * from './poolWrites';
export * from './indexedBlock';
export { decodeRevert, decodeRevertData, formatRevert, type DecodedRevert } from './revert';
export { jobIdOf, toContractTerms, type ApiJobTerms, type JobTerms } from './jobTerms';
export * from './jobParams';
export * from './enums';
export * from './events';
export * from './receipts';
export * from './contracts';
export * from './replication';
export * from './marketRules';
export * from './format/amounts';
export * from './format/counts';
export * from './format/durations';
export * from './format/images';
export * from './format/requirements';
export * from './format/tokens';
export * from './spec/jobSpec';
export * from './spec/imageRef';
export * from './artifactUpload';
export * from './sealing';
export * from './sealedDelivery';
export * from './jobLog';
export * from './jobPayment';
export * from './jobDeposits';
export { LoomError, type LoomErrorCode } from './errors';
export { loomMarketAbi, loomModelsAbi, loomRegistryAbi, loomReplicatedMarketAbi, testUsdcAbi } from '../abis/generated';
