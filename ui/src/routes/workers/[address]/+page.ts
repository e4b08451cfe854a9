import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(params.address)) error(404, 'A worker address is 0x followed by 40 hex digits.');
  return { address: params.address.toLowerCase() as `0x${string}` };
};
