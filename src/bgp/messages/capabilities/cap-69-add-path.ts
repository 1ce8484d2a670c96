import { CapabilityCode } from '../../constants.js';
import { readU16 } from '../../wire-reader.js';
import { type CapabilityCodec, checkValueLength, familyJSON } from './capability-codec.js';

/** Send/Receive field of ADD-PATH, RFC 7911 §4. */
export const AddPathDirection = { RECEIVE: 1, SEND: 2, BOTH: 3 } as const;
export type AddPathDirection = (typeof AddPathDirection)[keyof typeof AddPathDirection];

const DIRECTION_NAME: Readonly<Record<number, string>> = { 1: 'receive', 2: 'send', 3: 'both' };

/** One family of an ADD-PATH capability. `sendReceive` is kept as received (values other than 1..3 are invalid). */
export interface AddPathFamily {
  readonly afi: number;
  readonly safi: number;
  readonly sendReceive: number;
}

/** ADD-PATH capability (code 69), RFC 7911 §4. */
export interface AddPathCapability {
  readonly kind: 'add-path';
  readonly families: readonly AddPathFamily[];
}

/**
 * RFC 7911 §4: per family AFI (2), SAFI (1), Send/Receive (1).
 * JSON: `{ families: [{ family, afi, safi, sendReceive, direction: 'receive' | 'send' | 'both' | 'invalid' }] }`.
 */
export const addPathCapability: CapabilityCodec<AddPathCapability> = {
  code: CapabilityCode.ADD_PATH,
  kind: 'add-path',
  decode(value) {
    checkValueLength(value, 'add-path', 4);
    const families: AddPathFamily[] = [];
    for (let p = 0; p < value.length; p += 4) families.push({ afi: readU16(value, p), safi: value[p + 2]!, sendReceive: value[p + 3]! });
    return { kind: 'add-path', families };
  },
  encode(cap, w) {
    for (const f of cap.families) w.u16(f.afi, 'ADD-PATH AFI').u8(f.safi, 'ADD-PATH SAFI').u8(f.sendReceive, 'ADD-PATH send/receive');
  },
  toJSON(cap) {
    return {
      families: cap.families.map((f) => ({
        ...familyJSON(f.afi, f.safi),
        sendReceive: f.sendReceive,
        direction: DIRECTION_NAME[f.sendReceive] ?? 'invalid',
      })),
    };
  },
};
