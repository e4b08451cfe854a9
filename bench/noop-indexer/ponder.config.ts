// The same configuration as Loom's indexer (chain, RPC, contract, database).
export { default } from '../../ponder.config';
