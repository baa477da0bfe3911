import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['labextension/test/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: ['labextension/test/setup.ts'],
    // JupyterLab's web components import ESM files without extensions: let vite resolve them
    server: { deps: { inline: [/@jupyter\/web-components/, /@jupyterlab\/ui-components/] } },
    reporters: ['default']
  }
});
