/**
 * The error `f` throws, checked to be an instance of `type` (any other error is
 * rethrown, and not throwing at all fails the test): for tests that assert on a
 * typed error's fields.
 */
export function thrown<E extends Error>(f: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    f();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
