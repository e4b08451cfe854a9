/**
 * Contract reverts in the contract's own words: `UnexpectedStatus(jobId, 2, 3)` rather than
 * "execution reverted". viem decodes custom errors when it has the ABI; this walks the error's cause
 * chain (viem's, or a wallet's EIP-1193 error) for the decoded error, and decodes raw revert data
 * with the market's and the ERC-20 token's errors when that is all there is.
 */
import { ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { testUsdcAbi } from '../abis/generated';
import { loomAbi } from './contracts';

export type DecodedRevert = {
  /** The Solidity error's name, e.g. "UnexpectedStatus"; "Error" for a require string; "Panic" for a panic. */
  name: string;
  args: readonly unknown[];
};

/** The contract set's errors and OpenZeppelin's ERC-20 errors (a token's revert can bubble out of postJob). */
const errorAbi = [...loomAbi, ...testUsdcAbi].filter((item) => item.type === 'error');

/** Raw revert data decoded with the market's and the token's errors; undefined when it is none of them. */
export function decodeRevertData(data: Hex): DecodedRevert | undefined {
  try {
    const decoded = decodeErrorResult({ abi: errorAbi, data });
    return { name: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

type Link = { cause?: unknown; data?: unknown; raw?: unknown; reason?: unknown };

/**
 * The contract error behind `err` (a simulation, an estimate or a send that reverted), or undefined
 * when `err` is not a contract revert. Revert data no ABI here knows is named by its selector:
 * `unknown error 0x12345678`.
 *
 * @example
 * try { await writer.cancelJob(terms) } catch (err) { if (decodeRevert(err)?.name === 'UnexpectedStatus') ... }
 */
export function decodeRevert(err: unknown): DecodedRevert | undefined {
  let reverted: ContractFunctionRevertedError | undefined;
  let unknown: Hex | undefined;
  for (const link of causes(err)) {
    if (link instanceof ContractFunctionRevertedError) {
      reverted ??= link;
      if (link.data?.errorName) return { name: link.data.errorName, args: link.data.args ?? [] };
    }
    // RPC errors carry the bytes as `data` (some wallets one level deeper, as `data.data`).
    const nested = link.data && typeof link.data === 'object' ? (link.data as { data?: unknown }).data : undefined;
    for (const candidate of [link.raw, link.data, nested]) {
      if (typeof candidate !== 'string' || !/^0x[0-9a-fA-F]{8}/.test(candidate)) continue;
      const decoded = decodeRevertData(candidate as Hex);
      if (decoded) return decoded;
      unknown ??= candidate as Hex;
    }
  }
  if (unknown) return { name: `unknown error ${unknown.slice(0, 10)}`, args: [] };
  if (reverted) return { name: reverted.reason ?? 'reverted', args: [] };
  return undefined;
}

/** "UnexpectedStatus(0x12…, 2, 3)": for logs and error messages. */
export function formatRevert(r: DecodedRevert): string {
  return `${r.name}(${r.args.map((a) => (typeof a === 'bigint' ? a.toString() : String(a))).join(', ')})`;
}

/** `err` and its causes, outermost first (bounded: a cause chain can be cyclic). */
function causes(err: unknown): Link[] {
  const out: Link[] = [];
  for (let e = err, i = 0; e && typeof e === 'object' && i < 20; e = (e as Link).cause, i++) out.push(e as Link);
  return out;
}
