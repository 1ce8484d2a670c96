import { describe, expect, it } from 'vitest';
import { NeighConfigError } from '../../src/neigh/errors.js';
import { LinkSelection, type LinkSelector } from '../../src/neigh/link-selector.js';

const links = {
  fabric0: { index: 7, name: 'fabric0', kind: 'macvlan' },
  fabric12: { index: 8, name: 'fabric12', kind: 'macvlan' },
  vx: { index: 5, name: 'sdcvxl4385813', kind: 'vxlan' },
  va: { index: 3, name: 'va', kind: 'veth' },
  lo: { index: 1, name: 'lo', kind: undefined },
  dotted: { index: 9, name: 'a.b', kind: 'veth' },
};

const cases: { selector: LinkSelector | LinkSelector[]; chosen: (keyof typeof links)[] }[] = [
  { selector: { name: 'va' }, chosen: ['va'] },
  { selector: { name: 'fabric*' }, chosen: ['fabric0', 'fabric12'] },
  { selector: { name: 'fabric?' }, chosen: ['fabric0'] },
  { selector: { name: 'a.b' }, chosen: ['dotted'] }, // '.' is literal in a glob
  { selector: { name: /^sdcvxl\d+$/ }, chosen: ['vx'] },
  { selector: { name: /fabric/g }, chosen: ['fabric0', 'fabric12'] }, // /g must not make test() stateful
  { selector: { index: 3 }, chosen: ['va'] },
  { selector: { kind: 'vxlan' }, chosen: ['vx'] },
  { selector: { kind: 'macvlan', name: '*12' }, chosen: ['fabric12'] }, // all fields must match
  { selector: [{ kind: 'vxlan' }, { index: 1 }], chosen: ['vx', 'lo'] }, // any selector may match
];

describe('LinkSelection', () => {
  it.each(cases)('$selector chooses $chosen', ({ selector, chosen }) => {
    const selection = new LinkSelection(selector);
    // Twice: a selector must give the same verdict every time.
    for (let round = 0; round < 2; round++) {
      const got = (Object.keys(links) as (keyof typeof links)[]).filter((k) => selection.matches(links[k]));
      expect(got.sort()).toEqual([...chosen].sort());
    }
  });

  it.each([
    ['no selector', []],
    ['an empty selector (would take every link)', [{}]],
    ['index 0', { index: 0 }],
    ['a fractional index', { index: 1.5 }],
    ['an empty name', { name: '' }],
    ['an empty kind', { kind: '' }],
    ['a name that is a number', { name: 5 }],
  ])('refuses %s with NeighConfigError', (_what, selector) => {
    expect(() => new LinkSelection(selector as LinkSelector)).toThrow(NeighConfigError);
  });
});
