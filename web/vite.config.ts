import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The console talks to the gateway on the same origin; in development Vite
// forwards /api to the all-in-one process so cookies stay first-party.
const apiTarget = process.env.INCUCHAIN_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Libraries change less often than the console: separate chunks keep browser
        // caches warm. ECharts stays out of them so it loads only with the dashboard.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 20 },
            { name: 'vendor', test: /node_modules[\\/](?!(echarts|zrender|echarts-for-react)[\\/])/, priority: 10 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // A guard against hangs, not a speed check: antd under jsdom is slow on
    // a loaded 2-core machine (CI shares it with database and NATS tests).
    testTimeout: 120000,
  },
});
