import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => {
  if (!/^[1-9]\d{0,19}$/.test(params.id)) error(404, 'A pool id is a whole number from 1.');
  return { id: params.id };
};
