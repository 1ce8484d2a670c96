import { NeighConfigError } from './errors.js';

/**
 * Chooses links: every field given must match. `name` is an exact name, a
 * glob (`fabric*`, `vx?`) or a RegExp; `index` an ifindex; `kind` the
 * IFLA_INFO_KIND ('vxlan', 'macvlan', 'veth', ...).
 */
export interface LinkSelector {
  name?: string | RegExp;
  index?: number;
  kind?: string;
}

/** The facts a selector looks at. */
export interface SelectableLink {
  readonly index: number;
  readonly name: string;
  readonly kind?: string | undefined;
}

/** A selector checked and compiled once. */
interface CompiledSelector {
  readonly name: RegExp | undefined;
  readonly index: number | undefined;
  readonly kind: string | undefined;
}

function globToRegExp(glob: string): RegExp {
  let source = '^';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`${source}$`);
}

/**
 * A set of link selectors; a link is chosen when any selector matches.
 *
 * @example
 * ```ts
 * const links = new LinkSelection([{ name: 'fabric*' }, { kind: 'vxlan' }]);
 * links.matches({ index: 7, name: 'fabric0', kind: 'macvlan' }); // true
 * ```
 */
export class LinkSelection {
  private readonly compiled: readonly CompiledSelector[];

  constructor(selectors: LinkSelector | readonly LinkSelector[]) {
    const list: readonly LinkSelector[] = Array.isArray(selectors) ? selectors : [selectors as LinkSelector];
    if (list.length === 0) throw new NeighConfigError('links', 'at least one selector is needed');
    this.compiled = list.map((selector, i) => LinkSelection.compile(selector, `links[${i}]`));
  }

  private static compile(selector: LinkSelector, path: string): CompiledSelector {
    if (typeof selector !== 'object' || selector === null) throw new NeighConfigError(path, 'not an object');
    const { name, index, kind } = selector;
    if (name === undefined && index === undefined && kind === undefined) {
      throw new NeighConfigError(path, 'give name, index or kind (an empty selector would take every link)');
    }
    if (index !== undefined && (!Number.isInteger(index) || index < 1 || index > 0xffffffff)) {
      throw new NeighConfigError(`${path}.index`, `${String(index)} is not an ifindex`);
    }
    if (kind !== undefined && (typeof kind !== 'string' || kind === '')) throw new NeighConfigError(`${path}.kind`, 'empty kind');
    let pattern: RegExp | undefined;
    if (name instanceof RegExp) {
      // A /g or /y RegExp keeps lastIndex between test() calls: drop those flags.
      pattern = new RegExp(name.source, name.flags.replace(/[gy]/g, ''));
    } else if (typeof name === 'string') {
      if (name === '') throw new NeighConfigError(`${path}.name`, 'empty name');
      pattern = globToRegExp(name);
    } else if (name !== undefined) {
      throw new NeighConfigError(`${path}.name`, 'a string or a RegExp');
    }
    return { name: pattern, index, kind };
  }

  matches(link: SelectableLink): boolean {
    return this.compiled.some(
      (s) =>
        (s.index === undefined || s.index === link.index) &&
        (s.kind === undefined || s.kind === link.kind) &&
        (s.name === undefined || s.name.test(link.name)),
    );
  }
}
