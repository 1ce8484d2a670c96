import { createRequire } from 'node:module';
import type { RtMsg } from './rtmsg.js';

/**
 * The fixed kernel structs described once more, declaratively, with
 * buffer-layout. fibwire's codecs write them with direct DataView stores (the
 * hot path: buffer-layout measured 2–18× slower); these layouts serve cold
 * paths and as an independent cross-check of those codecs in the tests.
 * buffer-layout's integers are little-endian, so the layouts describe an
 * x86/arm64 host; the tests that use them say so.
 */

/** The part of buffer-layout's API used here. */
export interface StructLayout<T> {
  readonly span: number;
  decode(b: Buffer, offset?: number): T;
  encode(source: T, b: Buffer, offset?: number): number;
}
interface FieldLayout {
  readonly span: number;
}
interface BufferLayoutModule {
  struct<T>(fields: FieldLayout[], property?: string): StructLayout<T>;
  u8(property?: string): FieldLayout;
  u16(property?: string): FieldLayout;
  u32(property?: string): FieldLayout;
  s32(property?: string): FieldLayout;
}

const require = createRequire(import.meta.url);
const BL = require('buffer-layout') as BufferLayoutModule;

export const nlmsghdrLayout = BL.struct<{ len: number; type: number; flags: number; seq: number; pid: number }>([
  BL.u32('len'),
  BL.u16('type'),
  BL.u16('flags'),
  BL.u32('seq'),
  BL.u32('pid'),
]);

export const rtmsgLayout = BL.struct<RtMsg>([
  BL.u8('family'),
  BL.u8('dstLen'),
  BL.u8('srcLen'),
  BL.u8('tos'),
  BL.u8('table'),
  BL.u8('protocol'),
  BL.u8('scope'),
  BL.u8('type'),
  BL.u32('flags'),
]);

export const nhmsgLayout = BL.struct<{ family: number; scope: number; protocol: number; resvd: number; flags: number }>([
  BL.u8('family'),
  BL.u8('scope'),
  BL.u8('protocol'),
  BL.u8('resvd'),
  BL.u32('flags'),
]);

export const ndmsgLayout = BL.struct<{
  family: number;
  pad1: number;
  pad2: number;
  ifindex: number;
  state: number;
  flags: number;
  type: number;
}>([BL.u8('family'), BL.u8('pad1'), BL.u16('pad2'), BL.s32('ifindex'), BL.u16('state'), BL.u8('flags'), BL.u8('type')]);

export const ifinfomsgLayout = BL.struct<{
  family: number;
  pad: number;
  type: number;
  index: number;
  flags: number;
  change: number;
}>([BL.u8('family'), BL.u8('pad'), BL.u16('type'), BL.s32('index'), BL.u32('flags'), BL.u32('change')]);

export const ifaddrmsgLayout = BL.struct<{ family: number; prefixLen: number; flags: number; scope: number; index: number }>([
  BL.u8('family'),
  BL.u8('prefixLen'),
  BL.u8('flags'),
  BL.u8('scope'),
  BL.u32('index'),
]);

/** struct nexthop_grp (include/uapi/linux/nexthop.h), 8 bytes. */
export const nexthopGrpLayout = BL.struct<{ id: number; weight: number; weightHigh: number; resvd2: number }>([
  BL.u32('id'),
  BL.u8('weight'),
  BL.u8('weightHigh'),
  BL.u16('resvd2'),
]);

/** struct rtnexthop (include/uapi/linux/rtnetlink.h), 8 bytes. */
export const rtnexthopLayout = BL.struct<{ len: number; flags: number; hops: number; ifindex: number }>([
  BL.u16('len'),
  BL.u8('flags'),
  BL.u8('hops'),
  BL.s32('ifindex'),
]);
