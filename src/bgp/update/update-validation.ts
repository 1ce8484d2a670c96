import { getAttributeCodec, type AttributeValueMap } from '../attributes/attribute-registry.js';
import { withAttributeData } from '../attributes/attribute-error.js';
import { checkAsZero, malformedAttributeAction } from '../attributes/malformed-action.js';
import { AttrFlag, AttrType, UpdateSubcode } from '../constants.js';
import { BgpError, strongerAction, type ErrorAction } from '../errors.js';
import { UpdatePrefixCursor } from './update-prefix-cursor.js';
import type { UpdateValidation, UpdateView } from './update-view.js';

/** RFC 4760 §3 / §4: MP_REACH_NLRI and MP_UNREACH_NLRI are optional non-transitive. */
const MP_EXPECTED_FLAGS = AttrFlag.OPTIONAL;

/** Expected Optional/Transitive bits of a type, or `undefined` for a type we do not know. */
function expectedFlags(type: number): number | undefined {
  if (type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI) return MP_EXPECTED_FLAGS;
  return getAttributeCodec(type)?.expectedFlags;
}

function attributeName(type: number): string {
  return getAttributeCodec(type)?.name ?? `attribute ${type}`;
}

/**
 * RFC 7606 applied to a whole UPDATE: framing (§4), duplicates (§3 (g)),
 * flags (§3 (c)), unrecognised well-known attributes (RFC 4271 §6.3), AS 0 in
 * AS_PATH / AS4_PATH (RFC 7607 §2), each
 * attribute's own rules (its codec, §7), MP_REACH/MP_UNREACH (§7.11), NLRI
 * syntax (§5.3), missing well-known mandatory attributes (§3 (d)). The action is
 * the strongest of all (§3 (j)).
 */
export function validateUpdate(view: UpdateView): UpdateValidation {
  const errors: BgpError[] = [...view.layout.framingErrors];
  const buf = view.buf;
  const seen = new Uint8Array(256);
  const hasClassicNlri = view.hasClassicNlri;

  view.forEachAttribute((flags, type, valueStart, valueEnd) => {
    const headerStart = valueStart - ((flags & AttrFlag.EXTENDED_LENGTH) !== 0 ? 4 : 3);
    const whole = buf.subarray(headerStart, valueEnd);
    if (seen[type]) {
      // RFC 7606 §3 (g): MP duplicates were a framing error (session reset); any other
      // repeated attribute: the first is kept, the others are discarded.
      if (type !== AttrType.MP_REACH_NLRI && type !== AttrType.MP_UNREACH_NLRI) {
        errors.push(
          BgpError.update(UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, `${attributeName(type)} appears more than once; the repeats are discarded`, {
            action: 'attribute-discard',
            attrType: type,
            offset: headerStart,
          }),
        );
      }
      return;
    }
    seen[type] = 1;
    const expected = expectedFlags(type);
    if (expected === undefined) {
      if ((flags & AttrFlag.OPTIONAL) === 0) {
        // RFC 4271 §6.3: an unrecognised well-known attribute; RFC 7606 does not soften it.
        errors.push(
          BgpError.update(UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, `unrecognised well-known attribute ${type}`, {
            action: 'session-reset',
            attrType: type,
            offset: headerStart,
            data: whole,
          }),
        );
      }
      return;
    }
    // RFC 7606 §3 (c): Optional/Transitive bits in conflict with the attribute's definition make it
    // malformed, handled with the attribute's own action (e.g. attribute-discard for AGGREGATOR, §7.7);
    // RFC 4271 §4.3: the Partial bit is 0 for well-known and optional non-transitive attributes.
    const partialBad = (flags & AttrFlag.PARTIAL) !== 0 && (expected & (AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE)) !== (AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE);
    if ((flags & (AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE)) !== expected || partialBad) {
      errors.push(
        BgpError.update(UpdateSubcode.ATTRIBUTE_FLAGS_ERROR, `${attributeName(type)} flags 0x${flags.toString(16)} conflict with 0x${expected.toString(16)}`, {
          action: malformedAttributeAction(type),
          attrType: type,
          offset: headerStart,
          data: whole,
        }),
      );
      return;
    }
    if (type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI) return; // checked with the NLRI below
    // RFC 4760 §3: with no classic NLRI, a NEXT_HOP attribute SHOULD be ignored.
    if (type === AttrType.NEXT_HOP && !hasClassicNlri) return;
    try {
      const value = view.decodeAttribute(type);
      // RFC 7607 §2: AS 0 in AS_PATH (treat-as-withdraw) or AS4_PATH (discarded, RFC 6793 §6).
      if (type === AttrType.AS_PATH || type === AttrType.AS4_PATH) {
        const asZero = checkAsZero(value as AttributeValueMap[2], type);
        if (asZero) errors.push(withAttributeData(asZero, whole));
      }
    } catch (e) {
      if (e instanceof BgpError) errors.push(e);
      else throw e;
    }
  });

  // NLRI: classic fields (session reset on error) and MP fields (AFI/SAFI disable), RFC 7606 §5.3, §7.11.
  const cursor = new UpdatePrefixCursor();
  for (const announced of [false, true]) {
    try {
      cursor.reset(buf, view.nlriSegments(announced));
      while (cursor.next()) {
        /* walk only */
      }
    } catch (e) {
      if (e instanceof BgpError) errors.push(e);
      else throw e;
    }
  }

  // RFC 7606 §3 (d): missing well-known mandatory attributes, only when something is announced.
  // NEXT_HOP is mandatory only with classic NLRI (RFC 4760 §3 makes it discretionary otherwise).
  // LOCAL_PREF is mandatory only on iBGP sessions, which a codec cannot tell: the session checks it.
  if (view.hasAnnouncements) {
    const mandatory: number[] = [AttrType.ORIGIN, AttrType.AS_PATH];
    if (hasClassicNlri) mandatory.push(AttrType.NEXT_HOP);
    for (const type of mandatory) {
      if (seen[type]) continue;
      errors.push(
        BgpError.update(UpdateSubcode.MISSING_WELL_KNOWN_ATTRIBUTE, `well-known mandatory attribute ${attributeName(type)} is missing`, {
          action: 'treat-as-withdraw',
          attrType: type,
          data: Uint8Array.of(type),
        }),
      );
    }
  }

  let action: 'ok' | ErrorAction = 'ok';
  for (const e of errors) action = action === 'ok' ? e.action : strongerAction(action, e.action);
  return { action, errors };
}
