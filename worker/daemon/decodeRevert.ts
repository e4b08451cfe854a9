/**
 * Contract reverts in the contract's own words: `UnexpectedStatus(jobId, 2, 3)` rather than
 * "execution reverted". viem decodes custom errors when it has the ABI; this walks its error chain
 * for the decoded error, and decodes raw revert data with `decodeErrorResult` when that is all there is.
 */
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { loomMarketAbi } from '../../abis/generated';

export type DecodedRevert = {
  /** The Solidity error's name, e.g. "UnexpectedStatus"; "Error" for a require string; "Panic" for a panic. */
  name: string;
  args: readonly unknown[];
};

/** The contract error behind `err`, or undefined when `err` is not a contract revert. */
export function decodeRevert(err: unknown): DecodedRevert | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (reverted?.data?.errorName) return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
  const raw = (reverted?.raw ?? findData(err)) as Hex | undefined;
  if (raw && raw.length >= 10) {
    try {
      const decoded = decodeErrorResult({ abi: loomMarketAbi, data: raw });
      return { name: decoded.errorName, args: decoded.args ?? [] };
    } catch {
      return { name: `unknown error ${raw.slice(0, 10)}`, args: [] };
    }
  }
  if (reverted) return { name: reverted.reason ?? 'reverted', args: [] };
  return undefined;
}

/** Revert data somewhere in a viem error chain (RPC errors carry it as `data`). */
function findData(err: BaseError): Hex | undefined {
  let found: Hex | undefined;
  err.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(data)) found = data as Hex;
    return false;
  });
  return found;
}

/** "UnexpectedStatus(0x12…, 2, 3)": for logs and error messages. */
export function formatRevert(r: DecodedRevert): string {
  return `${r.name}(${r.args.map((a) => (typeof a === 'bigint' ? a.toString() : String(a))).join(', ')})`;
}
