import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeAddonLoadError, UnsupportedPlatformError } from '../errors.js';
import type { NativeBinding } from './binding-types.js';

let cached: NativeBinding | undefined;

/**
 * The package root holds binding.gyp and build/ (or prebuilds/). This file
 * lives in src/netlink/native when run from source and in dist/ when bundled,
 * so walk up until binding.gyp appears.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new NativeAddonLoadError(`binding.gyp not found above ${start}`);
}

function isBinding(value: unknown): value is NativeBinding {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['NetlinkSocket'] === 'function' && typeof record['openInNetns'] === 'function';
}

/**
 * Loads the addon with node-gyp-build (a matching prebuild, else the local
 * source build). Throws UnsupportedPlatformError off Linux and
 * NativeAddonLoadError when the addon is missing or malformed.
 */
export function loadNativeBinding(): NativeBinding {
  if (process.platform !== 'linux') throw new UnsupportedPlatformError(process.platform);
  if (cached !== undefined) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findPackageRoot(here);
  const require = createRequire(import.meta.url);
  let loaded: unknown;
  try {
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    loaded = nodeGypBuild(root);
  } catch (error) {
    throw new NativeAddonLoadError(error);
  }
  if (!isBinding(loaded)) throw new NativeAddonLoadError('addon does not export NetlinkSocket/openInNetns');
  cached = loaded;
  return loaded;
}
