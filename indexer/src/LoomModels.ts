/**
 * LoomModels' indexing functions (the model hub): published models and their retirement, the jobs
 * that use them (ModelsUsed, right after the job's posting), the royalties and refunds credited
 * when such a job closes (right after its JobClosed / ReplicatedJobClosed), and withdrawals from
 * its ledger. Each event appends one `job_event` row; the rows come from the pure folds in
 * ./fold/model.ts and ./fold/credits.ts.
 */
import { ponder } from 'ponder:registry';
import { jobModel, model, modelHub } from 'ponder:schema';
import { creditsOf, withdrawalOf } from './fold/credits';
import { argsOf, big, hex } from './fold/event';
import { jobPatchOf } from './fold/job';
import { jobModelsUsed, publishedModel } from './fold/model';
import { credit, record, updateJob, withdraw, type Db, type PonderEvent } from './store';

async function onPublished(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomModels', 'ModelPublished', event);
  const previous = Number(argsOf(logged).previous);
  const lineage = previous === 0 ? undefined : (await db.find(model, { id: previous }))?.lineage;
  const row = publishedModel(logged, lineage);
  // The files as JSON text: a flat row for Ponder (see indexer/jsonText.ts).
  await db.insert(model).values({ ...row, files: JSON.stringify(row.files) });
  await db
    .insert(modelHub)
    .values({ address: logged.contract, models: row.id })
    .onConflictDoUpdate({ models: row.id });
}

async function onRetired(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomModels', 'ModelRetired', event);
  const id = Number(argsOf(logged).modelId);
  if (await db.find(model, { id })) await db.update(model, { id }).set({ retired: true, updatedBlock: logged.blockNumber });
}

/** A job posted with models: one `job_model` row per model, each model's use, the job's model list. */
async function onUsed(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomModels', 'ModelsUsed', event);
  for (const row of jobModelsUsed(logged)) {
    await db.insert(jobModel).values(row);
    if (await db.find(model, { id: row.modelId })) {
      await db.update(model, { id: row.modelId }).set((m) => ({ uses: m.uses + 1, updatedBlock: logged.blockNumber }));
    }
  }
  await updateJob(db, hex(argsOf(logged).jobId), (row) => jobPatchOf(row, logged));
}

/** A creator's royalty from a closed job: its `job_model` row, the model's earnings, the credit. */
async function onRoyaltyPaid(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomModels', 'RoyaltyPaid', event);
  const args = argsOf(logged);
  const amount = big(args.amount);
  const key = { jobId: hex(args.jobId), modelId: Number(args.modelId) };
  if (await db.find(jobModel, key)) await db.update(jobModel, key).set({ royaltyPaid: amount });
  if (await db.find(model, { id: key.modelId })) {
    await db.update(model, { id: key.modelId }).set((m) => ({ earned: m.earned + amount, updatedBlock: logged.blockNumber }));
  }
  for (const c of creditsOf(logged, undefined, logged.contract)) await credit(db, c);
}

async function onRoyaltyRefunded(db: Db, event: PonderEvent): Promise<void> {
  const logged = await record(db, 'LoomModels', 'RoyaltyRefunded', event);
  for (const c of creditsOf(logged, undefined, logged.contract)) await credit(db, c);
}

ponder.on('LoomModels:ModelPublished', ({ event, context }) => onPublished(context.db, event));
ponder.on('LoomModels:ModelRetired', ({ event, context }) => onRetired(context.db, event));
ponder.on('LoomModels:ModelsUsed', ({ event, context }) => onUsed(context.db, event));
ponder.on('LoomModels:RoyaltyPaid', ({ event, context }) => onRoyaltyPaid(context.db, event));
ponder.on('LoomModels:RoyaltyRefunded', ({ event, context }) => onRoyaltyRefunded(context.db, event));
ponder.on('LoomModels:Withdrawn', async ({ event, context }) => {
  await withdraw(context.db, withdrawalOf(await record(context.db, 'LoomModels', 'Withdrawn', event))!);
});
