/**
 * The server's side of signed log chunks (`POST /jobs/0x<id>/log`): reads the body a worker sends
 * and checks its EIP-712 signature over (jobId, offset, stream, sha256 of the data, encrypted, end,
 * issuedAt) in the domain of this market's log service.
 *
 * The format is abis/offchainMessages.ts's, which the SDK signs with (sdk/jobLog.ts);
 * logRoutes.test.ts signs with the SDK and verifies here.
 */
import { type Address, type Hex, isAddress, isHex, recoverTypedDataAddress, sha256 } from 'viem';
import { jobLogDomain, jobLogStreams, jobLogTypes } from '../../abis/offchainMessages';

export type LogDomain = { chainId: number; market: Address };


export const logStreams = jobLogStreams;
export type LogStream = (typeof logStreams)[number];

/** A chunk whose signature holds: `signer` wrote it, for this job. */
export type VerifiedChunk = { jobId: Hex; signer: Address; offset: number; stream: LogStream; data: Uint8Array; encrypted: boolean; end: boolean };

/** Refused: `BAD_REQUEST` for a body that is not a chunk, `UNAUTHORIZED` for a signature that does not hold. */
export type ChunkCheck = { ok: true; chunk: VerifiedChunk } | { ok: false; code: 'BAD_REQUEST' | 'UNAUTHORIZED'; message: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks a chunk's body for the job of the request's path (`jobId`, lowercase). Anything wrong: the
 * reason, in words.
 */
export async function verifyLogChunk(
  body: unknown,
  jobId: Hex,
  o: { domain: LogDomain; now: number; maxAgeSeconds: number; maxSkewSeconds: number; maxChunkBytes: number },
): Promise<ChunkCheck> {
  if (typeof body !== 'object' || body === null) return bad('the body must be a JSON object (sdk signJobLogChunk)');
  const b = body as Record<string, unknown>;
  if (typeof b.jobId !== 'string' || b.jobId.toLowerCase() !== jobId) return bad(`the chunk is for job ${String(b.jobId)}, not for ${jobId} (the request's path)`);
  if (!Number.isSafeInteger(b.offset) || (b.offset as number) < 0) return bad('offset must be a byte count');
  if (!logStreams.includes(b.stream as LogStream)) return bad(`stream must be one of ${logStreams.join(', ')}`);
  if (typeof b.data !== 'string' || !BASE64.test(b.data)) return bad('data must be base64');
  if (typeof b.encrypted !== 'boolean' || typeof b.end !== 'boolean') return bad('encrypted and end must be booleans');
  if (!Number.isSafeInteger(b.issuedAt)) return bad('issuedAt must be seconds since the epoch');
  if (typeof b.signer !== 'string' || !isAddress(b.signer, { strict: false })) return bad('signer must be an address');
  if (typeof b.signature !== 'string' || !isHex(b.signature) || b.signature.length < 132) return bad('signature must be a 65-byte hex signature');
  const issuedAt = b.issuedAt as number;
  if (issuedAt > o.now + o.maxSkewSeconds) return unauthorized(`the signature is dated ${issuedAt - o.now} s in the future`);
  if (o.now - issuedAt > o.maxAgeSeconds) return unauthorized(`the signature expired: made ${o.now - issuedAt} s ago, valid for ${o.maxAgeSeconds} s`);
  const data = new Uint8Array(Buffer.from(b.data, 'base64'));
  if (data.length > o.maxChunkBytes) return bad(`a chunk holds at most ${o.maxChunkBytes} bytes, this one ${data.length}`);

  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({
      domain: jobLogDomain(o.domain.chainId, o.domain.market),
      types: jobLogTypes,
      primaryType: 'JobLogChunk',
      message: { jobId, offset: BigInt(b.offset as number), stream: b.stream as string, dataSha256: sha256(data), encrypted: b.encrypted, end: b.end, issuedAt: BigInt(issuedAt) },
      signature: b.signature as Hex,
    });
  } catch {
    return unauthorized('the signature cannot be read');
  }
  if (recovered.toLowerCase() !== b.signer.toLowerCase()) {
    return unauthorized(`the signature does not match ${b.signer} for this job, offset, stream, data and market (chain ${o.domain.chainId}, market ${o.domain.market})`);
  }
  return {
    ok: true,
    chunk: { jobId, signer: recovered.toLowerCase() as Address, offset: b.offset as number, stream: b.stream as LogStream, data, encrypted: b.encrypted, end: b.end },
  };
}

function bad(message: string): ChunkCheck {
  return { ok: false, code: 'BAD_REQUEST', message };
}

function unauthorized(message: string): ChunkCheck {
  return { ok: false, code: 'UNAUTHORIZED', message };
}
