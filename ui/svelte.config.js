import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    alias: {
      // ABIs generated from the contracts (`npm run abis`).
      $abis: '../abis',
      // The client core (spec format, job terms, reads, writes), shared with the CLI and the worker.
      $sdk: '../sdk',
    },
  },
};
