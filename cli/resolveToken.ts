/**
 * `--token`: "eth", a token address, or the symbol of one of the market's allow-listed tokens
 * ("usdc" finds "tUSDC" when it is the only symbol containing it). Symbols and decimals are read
 * from the token contract, so amounts are parsed in the token's own unit.
 */
import { type Address, type PublicClient, getAddress, isAddress, zeroAddress as ZERO_ADDRESS } from 'viem';
import { ETH_TOKEN, readToken as readTokenContract, type TokenInfo } from '../sdk/format/tokens';
import { LoomError } from '../sdk/errors';
import { CliError, badInput } from './cliError';

/**
 * The one token `name` designates among `tokens` (symbols compared case-insensitively): an exact
 * match, else the only symbol that contains it.
 */
export function matchTokenSymbol(name: string, tokens: readonly TokenInfo[]): TokenInfo {
  const n = name.trim().toLowerCase();
  const exact = tokens.filter((t) => t.symbol.toLowerCase() === n);
  if (exact.length === 1) return exact[0]!;
  const partial = exact.length > 1 ? exact : tokens.filter((t) => t.symbol.toLowerCase().includes(n));
  const list = tokens.map((t) => `${t.symbol} (${t.address})`).join(', ') || 'none';
  if (partial.length === 1) return partial[0]!;
  if (partial.length === 0) badInput(`--token: no allowed token is called "${name}" (allowed: ETH, ${list})`);
  badInput(`--token: "${name}" could be ${partial.map((t) => `${t.symbol} (${t.address})`).join(' or ')}: give the address`);
}

/** The symbol and decimals of an ERC-20, read from its contract; a refusal names the flag. */
async function readToken(publicClient: PublicClient, address: Address): Promise<TokenInfo> {
  try {
    return await readTokenContract(publicClient, address);
  } catch (err) {
    if (!(err instanceof LoomError)) throw err;
    throw new CliError('BAD_INPUT', `--token: ${err.shortMessage}`, { cause: err.cause });
  }
}

/**
 * @example
 * const token = await resolveToken('usdc', { publicClient, allowedTokens: market?.allowedTokens });
 */
export async function resolveToken(name: string, ctx: { publicClient: PublicClient; allowedTokens: readonly string[] | undefined }): Promise<TokenInfo> {
  const n = name.trim();
  if (n.toLowerCase() === 'eth' || n.toLowerCase() === ZERO_ADDRESS) return ETH_TOKEN;
  if (isAddress(n, { strict: false })) {
    // Without the market's list (the API is down) the contract still refuses a token it does not allow.
    const allowed = ctx.allowedTokens?.map((t) => t.toLowerCase()).filter((t) => t !== ZERO_ADDRESS);
    if (allowed && !allowed.includes(n.toLowerCase())) {
      badInput(`--token: ${n} is not allowed by the market (allowed: ETH${allowed.length ? `, ${allowed.join(', ')}` : ''})`);
    }
    return readToken(ctx.publicClient, getAddress(n));
  }
  if (!ctx.allowedTokens) badInput(`--token: "${n}" is a name, and the market's tokens cannot be listed without the API: give the address`);
  const allowed = ctx.allowedTokens.map((t) => t.toLowerCase()).filter((t) => t !== ZERO_ADDRESS);
  const tokens = await Promise.all(allowed.map((a) => readToken(ctx.publicClient, getAddress(a))));
  return matchTokenSymbol(n, tokens);
}
