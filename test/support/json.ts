/** A JSON value as `JSON.parse` produces it, without `any`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** Narrow a JSON value to an object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `JSON.parse` typed as {@link JsonValue}. */
export function parseJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}
