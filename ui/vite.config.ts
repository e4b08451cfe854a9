import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit(), svelteTesting()],
  // The client core and the ABIs live outside ui/ (sdk/, abis/).
  server: { fs: { allow: ['..'] } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
