import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { error } from '@sveltejs/kit';
import { ConfigError, readConfig } from '$lib/server/readConfig';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = () => {
  try {
    return { config: readConfig({ ...privateEnv, ...publicEnv }) };
  } catch (err) {
    if (err instanceof ConfigError) error(500, `Loom is not configured: ${err.message}`);
    throw err;
  }
};
