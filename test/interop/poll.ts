/**
 * Bounded polling of a daemon's state (its RIB fills asynchronously after we
 * send); the timeout only bounds a broken test, it asserts nothing about speed.
 */
/** Poll `probe` until it returns a value (not `undefined`); bounded. */
export async function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
