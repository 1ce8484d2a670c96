import { defineConfig } from 'tsup';

// Dual ESM + CJS build with declarations. The CLIs are separate entries so the
// `bin` paths in package.json point at real files.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'cli/fibwire-decode': 'src/cli/fibwire-decode.ts',
    'cli/fibwire-mrt': 'src/cli/fibwire-mrt.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  shims: true,
});
