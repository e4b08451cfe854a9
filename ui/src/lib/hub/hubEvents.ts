/**
 * Which events of the live feed change the hub's views, so each re-reads only when it may have changed:
 * LoomModels' (publish, retire, use, royalties, withdrawals) and the registry's pool events, plus the
 * closes that settle royalties and pool fees.
 */
const MODEL_EVENTS = new Set(['ModelPublished', 'ModelRetired', 'ModelsUsed', 'RoyaltyPaid', 'RoyaltyRefunded', 'Withdrawn', 'JobClosed', 'ReplicatedJobClosed']);
const POOL_EVENTS = new Set([
  'PoolCreated',
  'PoolFeeSet',
  'PoolJoinRequested',
  'PoolMemberAdded',
  'PoolMemberRemoved',
  'PoolLeaveRequested',
  'PoolMemberLeft',
  'PoolFeePaid',
  'ReplicatedJobPooled',
  'JobPosted',
  'JobAssigned',
  'JobClosed',
  'ReplicatedJobClosed',
]);

export const isModelEvent = (e: { name: string }) => MODEL_EVENTS.has(e.name);
export const isPoolEvent = (e: { name: string }) => POOL_EVENTS.has(e.name);
