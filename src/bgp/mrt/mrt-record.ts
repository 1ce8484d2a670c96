import { Bgp4mpMessage, Bgp4mpStateChange, isBgp4mpMessageSubtype } from './bgp4mp.js';
import { Bgp4mpSubtype, MrtType, TableDumpV2Subtype } from './mrt-constants.js';
import type { MrtRawRecord } from './mrt-framer.js';
import { LegacyBgpRecord } from './legacy-bgp.js';
import { PeerIndexTable } from './peer-index-table.js';
import { isRibSubtype, RibRecord } from './rib-record.js';
import { TableDumpRecord } from './table-dump.js';
import { MrtUnknownRecord } from './unknown-record.js';

/** Every decoded MRT record, discriminated by `kind`. */
export type MrtRecord =
  | TableDumpRecord
  | PeerIndexTable
  | RibRecord
  | Bgp4mpMessage
  | Bgp4mpStateChange
  | LegacyBgpRecord
  | MrtUnknownRecord;

/** What a record reader needs to remember between records: the last PEER_INDEX_TABLE (RFC 6396 §4.3). */
export interface MrtDecodeState {
  peerIndex: PeerIndexTable | undefined;
}

/**
 * Decodes one framed record with the reader for its type (RFC 6396 §4.2-§4.4,
 * §5 for type 5). A PEER_INDEX_TABLE replaces `state.peerIndex`. Throws
 * `MrtError` on a damaged body.
 */
export function decodeMrtRecord(raw: MrtRawRecord, state: MrtDecodeState): MrtRecord {
  switch (raw.type) {
    case MrtType.TABLE_DUMP:
      return TableDumpRecord.decode(raw);
    case MrtType.TABLE_DUMP_V2:
      if (raw.subtype === TableDumpV2Subtype.PEER_INDEX_TABLE) {
        const table = PeerIndexTable.decode(raw);
        state.peerIndex = table;
        return table;
      }
      if (isRibSubtype(raw.subtype)) return RibRecord.decode(raw, state.peerIndex);
      return new MrtUnknownRecord(raw);
    case MrtType.BGP4MP:
    case MrtType.BGP4MP_ET:
      if (raw.subtype === Bgp4mpSubtype.STATE_CHANGE || raw.subtype === Bgp4mpSubtype.STATE_CHANGE_AS4) return Bgp4mpStateChange.decode(raw);
      if (isBgp4mpMessageSubtype(raw.subtype)) return Bgp4mpMessage.decode(raw);
      return new MrtUnknownRecord(raw);
    case MrtType.BGP:
      return LegacyBgpRecord.decode(raw);
    default:
      return new MrtUnknownRecord(raw);
  }
}
