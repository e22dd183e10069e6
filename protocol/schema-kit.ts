// Building blocks of the API schemas: closed objects, base64url byte strings of a fixed length,
// strings from a fixed list, nullable values. TypeBox, so each schema is also a static type.
import { Type, type TSchema } from 'typebox';

/** Objects refuse properties they do not name (requests) and drop them when sent (responses). */
export const strict = { additionalProperties: false } as const;

/** base64url without padding of exactly `bytes` bytes (PROTOCOL.md §1.2). */
export const B64 = (bytes: number, description?: string) => {
  const length = Math.ceil((bytes * 4) / 3);
  return Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: length, maxLength: length, description });
};

/** base64url of any length up to `maxLength` characters. */
export const B64Text = (maxLength: number, description?: string) =>
  Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength, description });

/** A string from a fixed list; `enum` keeps Ajv's error short and the OpenAPI document readable. */
export const OneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Ids the server makes (UUIDs); bounded so a path parameter cannot be a megabyte. */
export const Id = Type.String({ minLength: 1, maxLength: 64 });

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' });

/** YYYY-MM-DD. */
export const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
/** An ISO 8601 time as the server writes it (toISOString), or a day where only the day is kept. */
export const Time = Type.String({ maxLength: 30 });

/** A body-less answer that names what was made. */
export const Created = Type.Object({ id: Id }, strict);
