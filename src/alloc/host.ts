/**
 * Named network namespaces. Creating and deleting one is not rtnetlink: it is
 * unshare(2) plus a bind mount under /var/run/netns (what `ip netns add`
 * does). `apply()` takes those two steps from a {@link NamespaceHost}: by
 * default NetnsNamespaceHost (netns-host.ts, through fibwire's addon), or one
 * the caller supplies; listing is a directory read.
 */
import { readdir } from 'node:fs/promises';

/** Where named namespaces live (iproute2's NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = '/var/run/netns';

/** Creates, removes and lists named network namespaces. */
export interface NamespaceHost {
  /** Names of the existing named namespaces. */
  list(): Promise<string[]>;
  /** Creates a named namespace (its `lo` exists, down). */
  create(name: string): Promise<void>;
  /** Removes a named namespace. */
  remove(name: string): Promise<void>;
}

/** The named namespaces in {@link NETNS_RUN_DIR} (none when the directory does not exist). */
export async function listNamedNamespaces(dir: string = NETNS_RUN_DIR): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error: unknown) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
}
