/**
 * What the chain refers to in the artifact store, read from the indexed tables: every artifact named
 * by a job's spec (its inputs, and any other `artifact://<sha256>` in it), by a job's result (the
 * result hash, which is the bundle's sha256, and an `artifact://` result URI), by a worker's
 * metadata URI, and by a sealed bundle sent by URI (`SealedBundleSent`: a bundle over the inline cap). Retention (collectArtifacts.ts) keeps all of them, however old.
 *
 * Each source is one entry of `referenceSources`; models (issue 15) add theirs there.
 */
import { and, asc, gt, isNotNull } from 'ponder';
import type { Db, Tables } from '../data/tables';
import { type ArtifactHash, parseArtifactHash } from './artifactStore';

/** Rows read per query: a scan of every job must not hold the whole table in memory. */
const PAGE = 1000;

const ARTIFACT_URI = /artifact:\/\/([0-9a-fA-F]{64})/g;

/** Every `artifact://<sha256>` in a text, as artifact hashes. */
export function artifactUrisIn(text: string): ArtifactHash[] {
  return [...text.matchAll(ARTIFACT_URI)].map((m) => `0x${m[1]!.toLowerCase()}` as ArtifactHash);
}

/** One kind of on-chain reference: adds what it refers to into `into`. */
export type ReferenceSource = {
  name: string;
  collect: (db: Db, tables: Tables, into: Set<ArtifactHash>) => Promise<void>;
};

const jobs: ReferenceSource = {
  name: 'jobs (spec inputs and results)',
  async collect(db, tables, into) {
    const t = tables.job;
    let after: `0x${string}` | undefined;
    for (;;) {
      const rows = await db
        .select({ id: t.id, spec: t.spec, resultHash: t.resultHash, resultURI: t.resultURI })
        .from(t)
        .where(after === undefined ? undefined : gt(t.id, after))
        .orderBy(asc(t.id))
        .limit(PAGE);
      for (const row of rows) {
        // The spec's raw bytes, not its parsed JSON: a reference anywhere in it counts, valid JSON or not.
        for (const h of artifactUrisIn(Buffer.from(row.spec.slice(2), 'hex').toString('latin1'))) into.add(h);
        const result = row.resultHash ? parseArtifactHash(row.resultHash) : undefined;
        if (result) into.add(result);
        if (row.resultURI) for (const h of artifactUrisIn(row.resultURI)) into.add(h);
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  },
};

const workers: ReferenceSource = {
  name: 'worker metadata',
  async collect(db, tables, into) {
    const t = tables.worker;
    let after: `0x${string}` | undefined;
    for (;;) {
      const rows = await db
        .select({ address: t.address, metadataURI: t.metadataURI })
        .from(t)
        .where(after === undefined ? undefined : gt(t.address, after))
        .orderBy(asc(t.address))
        .limit(PAGE);
      for (const row of rows) for (const h of artifactUrisIn(row.metadataURI)) into.add(h);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.address;
    }
  },
};

const sealedBundles: ReferenceSource = {
  name: 'sealed bundles sent by URI',
  async collect(db, tables, into) {
    const t = tables.sealedBundle;
    let after: string | undefined;
    for (;;) {
      const rows = await db
        .select({ id: t.id, uri: t.uri })
        .from(t)
        // The worker fetches the bundle by its URI whenever it (re)starts the job: it must outlive the grace period.
        .where(and(isNotNull(t.uri), after === undefined ? undefined : gt(t.id, after)))
        .orderBy(asc(t.id))
        .limit(PAGE);
      for (const row of rows) for (const h of artifactUrisIn(row.uri ?? '')) into.add(h);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  },
};

/**
 * Every kind of reference retention honours. Models (issue 15): add a source reading the indexed
 * model table's artifact hashes here; nothing else changes.
 */
export const referenceSources: readonly ReferenceSource[] = [jobs, workers, sealedBundles];

/** Every artifact the indexed chain refers to. */
export async function referencedArtifacts(db: Db, tables: Tables, sources: readonly ReferenceSource[] = referenceSources): Promise<Set<ArtifactHash>> {
  const into = new Set<ArtifactHash>();
  for (const source of sources) await source.collect(db, tables, into);
  return into;
}
