import type { NlriCodec, NlriFault } from '../nlri/nlri-codec.js';
import { PrefixCursor } from '../nlri/prefix-cursor.js';

/** One NLRI field of one family inside an UPDATE: classic field or the NLRI of an MP attribute. */
export interface NlriSegment {
  readonly codec: NlriCodec;
  readonly start: number;
  readonly end: number;
  /** RFC 7911: path ids present (ctx.addPathReceive has the family). */
  readonly addPath: boolean;
  /** What a malformed item maps to (RFC 7606 §5.3). */
  readonly fault: NlriFault;
  /** Next hop octets for announced MP segments, `start === end` otherwise. */
  readonly nextHopStart: number;
  readonly nextHopEnd: number;
}

/**
 * The allocation-free prefix walk over an UPDATE: classic prefixes first, then
 * those of MP_REACH_NLRI (announced) or MP_UNREACH_NLRI (withdrawn). One cursor
 * can be reused across messages with {@link UpdatePrefixCursor.reset}.
 * A malformed item throws its `BgpError` (RFC 7606 §5.3).
 *
 * @example
 * ```ts
 * const c = new UpdatePrefixCursor();
 * for (const frame of frames) {
 *   const view = UpdateView.fromMessage(frame, ctx);
 *   c.reset(view.buf, view.nlriSegments(true));
 *   while (c.next()) count += c.length;
 * }
 * ```
 */
export class UpdatePrefixCursor extends PrefixCursor {
  private segments: readonly NlriSegment[] = [];
  private segmentIndex = -1;
  private pos = 0;
  private end = 0;
  private codec: NlriCodec | undefined = undefined;
  private addPath = false;
  private fault: NlriFault | undefined = undefined;

  /** Starts over on a new list of segments (from `UpdateView.nlriSegments`). */
  reset(buf: Uint8Array, segments: readonly NlriSegment[]): this {
    this.buf = buf;
    this.segments = segments;
    this.segmentIndex = -1;
    this.pos = 0;
    this.end = 0;
    return this;
  }

  /** Moves to the next prefix; `false` when there is none left. */
  next(): boolean {
    for (;;) {
      if (this.pos < this.end) {
        this.pos = this.codec!.step(this.buf, this.pos, this.end, this.addPath, this, this.fault!);
        return true;
      }
      const seg = this.segments[++this.segmentIndex];
      if (!seg) {
        this.segmentIndex = this.segments.length;
        return false;
      }
      this.codec = seg.codec;
      this.addPath = seg.addPath;
      this.fault = seg.fault;
      this.pos = seg.start;
      this.end = seg.end;
    }
  }

  /** The segment the current prefix belongs to (for its family's next hop). */
  get segment(): NlriSegment | undefined {
    return this.segments[this.segmentIndex];
  }
}
