/**
 * The contract's enums (JobMode, JobStatus, CloseReason), generated from the Solidity into
 * abis/generated.ts, with the words clients show for them. The ABI carries an enum as a bare uint8
 * and the API names its members in SCREAMING_SNAKE_CASE: both spellings come from the one source,
 * so a member added to the contract reaches every client without a hand-written list to update.
 */
import { closeReasonKeys, closeReasonNames, jobModeKeys, jobModeNames, jobStatusKeys, jobStatusNames, modelKindNames, poolMemberStateNames } from '../abis/generated';

/** A job's mode as the API names it: 'CLAIM' | 'AUCTION' | 'DIRECT' | 'POOL'. */
export type JobMode = (typeof jobModeKeys)[number];
/** A job's status as the API names it ('NONE' is never stored: a job that exists has been posted). */
export type JobStatus = Exclude<(typeof jobStatusKeys)[number], 'NONE'>;
/** How a closed job ended, as the API names it ('NONE' is never emitted). */
export type CloseReason = Exclude<(typeof closeReasonKeys)[number], 'NONE'>;

export const JOB_MODES: readonly JobMode[] = jobModeKeys;
export const JOB_STATUSES = jobStatusKeys.filter((k): k is JobStatus => k !== 'NONE');
export const CLOSE_REASONS = closeReasonKeys.filter((k): k is CloseReason => k !== 'NONE');

/** The contract's JobMode values by name: `MODE.AUCTION` is 1. */
export const MODE = Object.fromEntries(jobModeKeys.map((k, i) => [k, i])) as { readonly [K in JobMode]: number };

/** An event's or a revert's uint8 as the API's name; undefined for a value the contract does not define (or None). */
export const jobModeOf = (value: number | bigint): JobMode | undefined => jobModeKeys[Number(value)];
export const closeReasonOf = (value: number | bigint): CloseReason | undefined => nonNone(closeReasonKeys[Number(value)]);

function nonNone<K extends string>(key: K | undefined): Exclude<K, 'NONE'> | undefined {
  return key === undefined || key === 'NONE' ? undefined : (key as Exclude<K, 'NONE'>);
}

/** The Solidity member name of an enum value, as reverts print it: `enumMemberName('JobStatus', 5)` is "Closed". */
export function enumMemberName(enumName: 'JobMode' | 'JobStatus' | 'CloseReason' | 'ModelKind' | 'PoolMemberState', value: number | bigint): string | undefined {
  const names: readonly string[] = { JobMode: jobModeNames, JobStatus: jobStatusNames, CloseReason: closeReasonNames, ModelKind: modelKindNames, PoolMemberState: poolMemberStateNames }[enumName];
  return names[Number(value)];
}

/** "DISPUTE_RESOLVED" -> "Dispute resolved". */
const inWords = (key: string) => key[0] + key.slice(1).toLowerCase().replace(/_/g, ' ');

/** The words for a status where they differ from the enum's name (an assigned job is running). */
const STATUS_WORDS: Partial<Record<JobStatus, string>> = { ASSIGNED: 'Running', SUBMITTED: 'Result in' };

/** The label of a job's state: its status, or how it closed ("Completed", "Dispute resolved"). */
export function statusLabel(status: string, closeReason?: string | null): string {
  if (status === 'CLOSED' && closeReason) return CLOSE_REASONS.includes(closeReason as CloseReason) ? inWords(closeReason) : closeReason;
  if (!JOB_STATUSES.includes(status as JobStatus)) return status;
  return STATUS_WORDS[status as JobStatus] ?? inWords(status);
}

/** The label of a close reason: "Arbitration timed out". */
export const closeReasonLabel = (reason: CloseReason): string => inWords(reason);

/** The label of a job's mode: "First claim", "Auction", "Direct offer" or "Pool" (a pool's members only). */
export function modeLabel(mode: string): string {
  return mode === 'AUCTION' ? 'Auction' : mode === 'DIRECT' ? 'Direct offer' : mode === 'POOL' ? 'Pool' : 'First claim';
}
