import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    alias: {
      // The job spec format lives with the worker; the post form validates with the same parseSpec.
      $spec: '../worker/spec',
      // ABIs generated from the contracts (`npm run abis`).
      $abis: '../abis',
      // Job terms, shared with the worker (the typed SDK).
      $sdk: '../sdk',
    },
  },
};
