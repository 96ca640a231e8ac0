/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The node serves the build from its jar (classpath steward/ui/): index.html at the root, hashed files under
// assets/ with immutable cache headers. `npm run dev` proxies the API and the live socket to a local node.
const devNode = process.env.STEWARD_DEV_NODE ?? 'http://127.0.0.1:18080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'target/classes/steward/ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      // The node refuses a foreign Origin (CSRF); the dev proxy presents the node's own.
      '/api': { target: devNode, changeOrigin: true, headers: { origin: devNode } },
      '/ws': { target: devNode, ws: true, changeOrigin: true, headers: { origin: devNode } },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
