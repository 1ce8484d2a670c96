import { UpdateSubcode } from '../constants.js';
import { BgpError, type ErrorAction } from '../errors.js';
import type { AttributeValueInput } from './attribute-codec.js';
import { attributeBytesAround } from './attribute-error.js';

/**
 * A malformed MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 §7, RFC 7606 §7.11,
 * §7.12). Its action is `afi-safi-disable` when the AFI/SAFI could be read
 * (then `afi`/`safi` say which family to disable), `session-reset` when not
 * (RFC 7606 §5.3: without the AFI/SAFI only a reset is possible). A session that
 * does not implement AFI/SAFI disable resets instead, as RFC 7606 allows.
 * NOTIFICATION: UPDATE Message Error / Optional Attribute Error (RFC 4760 §7)
 * with the attribute as data when its header is in the buffer.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof MpAttributeError && e.action === 'afi-safi-disable') disable(e.afi, e.safi); }
 * ```
 */
export class MpAttributeError extends BgpError {
  /** The AFI of the attribute, `undefined` when it could not be read. */
  readonly afi: number | undefined;
  /** The SAFI of the attribute, `undefined` when it could not be read. */
  readonly safi: number | undefined;

  constructor(input: AttributeValueInput, type: number, afi: number | undefined, safi: number | undefined, message: string) {
    const action: ErrorAction = afi === undefined ? 'session-reset' : 'afi-safi-disable';
    const data = attributeBytesAround(input, type);
    super({
      notifyCode: 3,
      notifySubcode: UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR,
      action,
      attrType: type,
      offset: input.start,
      message,
      ...(data ? { data } : {}),
    });
    this.afi = afi;
    this.safi = safi;
  }
}
