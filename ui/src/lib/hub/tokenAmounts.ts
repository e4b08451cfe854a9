/** Amounts in several tokens summed per token (a creator's models, an operator's pools), in the order first seen. */
export function sumByToken(amounts: readonly { token: string; amount: string }[]): { token: string; amount: string }[] {
  const sums = new Map<string, bigint>();
  for (const a of amounts) sums.set(a.token.toLowerCase(), (sums.get(a.token.toLowerCase()) ?? 0n) + BigInt(a.amount));
  return [...sums].map(([token, amount]) => ({ token, amount: amount.toString() }));
}
