// A string schema limited to a fixed list of words, typed as the union of those words: OpenAPI reads
// {type: string, enum: [...]}, which every client generator understands (an anyOf of consts reads worse).
import Type, { type TUnsafe } from 'typebox';

export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>(Type.String({ ...options, enum: [...values] }));
}
