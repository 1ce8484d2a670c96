import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Dual ESM + CJS build with declarations. Each CLI is its own entry so the `bin`
// paths in package.json point at real files (dist/cli/<name>.js).
const cliEntries = Object.fromEntries(
  ['fibwire-decode', 'fibwire-mrt']
    .map((name) => [`cli/${name}`, `src/cli/${name}.ts`] as const)
    .filter(([, file]) => existsSync(file)),
);

export default defineConfig({
  entry: { index: 'src/index.ts', ...cliEntries },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  shims: true,
});
