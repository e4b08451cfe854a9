// The same tables as Loom's indexer, so that Ponder creates, and indexes into, the same schema.
export * from '../../indexer/ponder.schema';
