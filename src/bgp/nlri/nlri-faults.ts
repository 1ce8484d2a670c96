import { AttrType, UpdateSubcode } from '../constants.js';
import type { NlriFault } from './nlri-codec.js';

/**
 * RFC 7606 §5.3: a malformed Withdrawn Routes field cannot be skipped safely, so
 * the session is reset with 3/10 "Invalid Network Field" (RFC 4271 §6.3).
 */
export const WITHDRAWN_ROUTES_FAULT: NlriFault = {
  notifySubcode: UpdateSubcode.INVALID_NETWORK_FIELD,
  action: 'session-reset',
  field: 'Withdrawn Routes',
};

/** RFC 7606 §5.3: a malformed classic NLRI field resets the session (3/10, RFC 4271 §6.3). */
export const CLASSIC_NLRI_FAULT: NlriFault = {
  notifySubcode: UpdateSubcode.INVALID_NETWORK_FIELD,
  action: 'session-reset',
  field: 'NLRI',
};

/**
 * RFC 7606 §5.3 and §7.11: a malformed NLRI inside MP_REACH_NLRI is handled with
 * "AFI/SAFI disable"; if the session is reset instead, RFC 4760 §7 names 3/9
 * "Optional Attribute Error".
 */
export const MP_REACH_NLRI_FAULT: NlriFault = {
  notifySubcode: UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR,
  action: 'afi-safi-disable',
  attrType: AttrType.MP_REACH_NLRI,
  field: 'MP_REACH_NLRI',
};

/** As {@link MP_REACH_NLRI_FAULT}, for the withdrawn routes of MP_UNREACH_NLRI. */
export const MP_UNREACH_NLRI_FAULT: NlriFault = {
  notifySubcode: UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR,
  action: 'afi-safi-disable',
  attrType: AttrType.MP_UNREACH_NLRI,
  field: 'MP_UNREACH_NLRI',
};
