import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { buildCentroidsAsset } from '../scripts/build-map-assets.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.ATT_WEB_API ?? 'http://localhost:8080';

/**
 * Emits `map/centroids.json` (points for small States, computed from world-atlas 10m at build time; see
 * scripts/build-map-assets.ts) and serves it in the dev server, so no generated file is kept in the repository.
 */
function mapAssets(): Plugin {
  let json: Promise<string> | null = null;
  const source = () => (json ??= buildCentroidsAsset().then((asset) => JSON.stringify(asset)));
  return {
    name: 'att-map-assets',
    configureServer(server) {
      server.middlewares.use('/map/centroids.json', (_req, res) => {
        void source().then((body) => {
          res.setHeader('content-type', 'application/json');
          res.end(body);
        });
      });
    },
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'map/centroids.json', source: await source() });
    },
  };
}

export default defineConfig({
  root,
  publicDir: 'public',
  plugins: [mapAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The topology must stay a fetched file, never inlined into the JavaScript.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/v1': api,
      '/openapi.json': api,
      '/docs': api,
    },
  },
  preview: {
    proxy: {
      '/v1': api,
      '/openapi.json': api,
    },
  },
});
