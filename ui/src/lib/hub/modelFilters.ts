/**
 * The model hub's browse filters, kept in the page's URL (`/models?q=llama&kind=WEIGHTS&order=USES_DESC`)
 * so a search can be shared and survives a reload; turned into the API's `ModelFilter` and `ModelOrderBy`.
 */
import { isAddress } from 'viem';
import { MODEL_KINDS, type ModelKind } from '$sdk/modelParams';

export { MODEL_KINDS, type ModelKind };
export const MODEL_ORDERS = ['NEWEST', 'USES_DESC', 'EARNINGS_DESC'] as const;
export type ModelOrder = (typeof MODEL_ORDERS)[number];

export const KIND_WORDS: Record<ModelKind, string> = { WEIGHTS: 'Weights', DATASET: 'Dataset', IMAGE: 'Image' };
export const ORDER_WORDS: Record<ModelOrder, string> = { NEWEST: 'Newest', USES_DESC: 'Most used', EARNINGS_DESC: 'Top earning' };

export type ModelFilters = {
  search: string;
  kind: ModelKind | '';
  /** A creator's address, as typed. */
  creator: string;
  /** A token address; '' any. */
  token: string;
  /** Show retired versions too. */
  retired: boolean;
  order: ModelOrder;
};

export const defaultModelFilters = (): ModelFilters => ({ search: '', kind: '', creator: '', token: '', retired: false, order: 'NEWEST' });

/** The filters a URL's query holds; what does not parse is left at its default. */
export function filtersFromQuery(params: URLSearchParams): ModelFilters {
  const f = defaultModelFilters();
  f.search = params.get('q') ?? '';
  const kind = params.get('kind');
  if (kind && (MODEL_KINDS as readonly string[]).includes(kind)) f.kind = kind as ModelKind;
  f.creator = params.get('creator') ?? '';
  const token = params.get('token');
  if (token && isAddress(token, { strict: false })) f.token = token.toLowerCase();
  f.retired = params.get('retired') === '1';
  const order = params.get('order');
  if (order && (MODEL_ORDERS as readonly string[]).includes(order)) f.order = order as ModelOrder;
  return f;
}

/** The URL query for the filters (defaults left out). */
export function queryFromFilters(f: ModelFilters): string {
  const p = new URLSearchParams();
  if (f.search.trim()) p.set('q', f.search.trim());
  if (f.kind) p.set('kind', f.kind);
  if (f.creator.trim()) p.set('creator', f.creator.trim());
  if (f.token) p.set('token', f.token);
  if (f.retired) p.set('retired', '1');
  if (f.order !== 'NEWEST') p.set('order', f.order);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A creator filter that is not an address, in words (undefined: fine or empty). */
export function creatorIssue(f: ModelFilters): string | undefined {
  const c = f.creator.trim();
  return c && !isAddress(c, { strict: false }) ? `"${c}" is not an address` : undefined;
}

/** The API's variables for the filters: a creator that is not an address yet is left out. */
export function modelFilterOf(f: ModelFilters) {
  const c = f.creator.trim();
  return {
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(c && !creatorIssue(f) ? { creator: c.toLowerCase() as `0x${string}` } : {}),
    ...(f.token ? { token: f.token as `0x${string}` } : {}),
    ...(f.retired ? {} : { retired: false }),
  };
}
