/**
 * Poll `predicate` until it is true. Fails (with `what` in the message) after
 * `timeoutMs`; the timeout only bounds a broken test, it is not an assertion
 * about speed.
 */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}
