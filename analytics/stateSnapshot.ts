// Class-aware JSON snapshots of analytics state (tracker, counters, accumulators), so a camera's owner can
// hand its exact state to a successor: restore(snapshot(x)) behaves byte-for-byte like x from then on.
//
// What it walks: own enumerable properties of plain objects and of instances of registered classes
// (restored with Object.create(Class.prototype), the constructor is never run), arrays, Maps, Sets,
// typed arrays, and the numbers JSON cannot hold (NaN, ±Infinity, -0). An object reached twice is written
// once and referenced after, so shared values stay shared. Anything else (functions, unregistered classes,
// symbols) is refused with the path where it was found: silently dropping state would break exactness.
import { ValidationError } from '../core/errors.ts';

/** A class (private constructors included: restoring never calls it). */
export type SnapshotClass = { readonly prototype: object; readonly name: string };

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

/** Encoded node: a JSON value whose objects are tagged by their single `$x` key. */
export type SnapshotNode = null | boolean | number | string | SnapshotNode[] | { [tag: string]: unknown };

export class StateSnapshotRegistry {
  private readonly byName = new Map<string, SnapshotClass>();
  private readonly byPrototype = new Map<object, string>();

  /** Registers classes under their own names; the name is part of the snapshot format, keep it stable. */
  register(...classes: SnapshotClass[]): this {
    for (const cls of classes) {
      const existing = this.byName.get(cls.name);
      if (existing && existing !== cls)
        throw new ValidationError(`two classes are named ${cls.name}`, { field: 'class' });
      this.byName.set(cls.name, cls);
      this.byPrototype.set(cls.prototype as object, cls.name);
    }
    return this;
  }

  /** The state of `value` as a JSON-safe tree. */
  snapshot(value: unknown): SnapshotNode {
    const seen = new Map<object, number>();
    countReferences(value, seen);
    const ids = new Map<object, number>();
    let nextId = 1;
    for (const [object, references] of seen) if (references > 1) ids.set(object, nextId++);
    const written = new Set<object>();
    return this.encode(value, '$', ids, written);
  }

  /** Rebuilds a value from snapshot(); instances of registered classes get their prototypes back. */
  restore<T>(node: SnapshotNode): T {
    return this.decode(node, '$', new Map()) as T;
  }

  private encode(value: unknown, path: string, ids: Map<object, number>, written: Set<object>): SnapshotNode {
    if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
    if (value === undefined) return { $u: 1 };
    if (typeof value === 'number') return encodeNumber(value);
    if (typeof value !== 'object') throw refused(path, `a ${typeof value}`);
    const id = ids.get(value);
    if (id !== undefined) {
      if (written.has(value)) return { $r: id };
      written.add(value);
    }
    const node = this.encodeObject(value, path, ids, written);
    if (id !== undefined) (node as Record<string, unknown>).$id = id;
    return node;
  }

  private encodeObject(
    value: object,
    path: string,
    ids: Map<object, number>,
    written: Set<object>,
  ): { [tag: string]: unknown } {
    if (Array.isArray(value)) return { $a: value.map((v, i) => this.encode(v, `${path}[${i}]`, ids, written)) };
    if (value instanceof Map) {
      return {
        $m: [...value].map(([k, v], i) => [
          this.encode(k, `${path}<key ${i}>`, ids, written),
          this.encode(v, `${path}<${String(k)}>`, ids, written),
        ]),
      };
    }
    if (value instanceof Set) return { $s: [...value].map((v, i) => this.encode(v, `${path}<${i}>`, ids, written)) };
    if (ArrayBuffer.isView(value)) {
      const name = value.constructor.name as TypedArrayName;
      if (!(name in TYPED_ARRAYS)) throw refused(path, `a ${name}`);
      return { $t: name, v: Array.from(value as AnyTypedArray, encodeNumber) };
    }
    const prototype = Object.getPrototypeOf(value) as object | null;
    const properties = this.encodeProperties(value, path, ids, written);
    if (prototype === Object.prototype || prototype === null) return { $o: properties };
    const className = this.byPrototype.get(prototype);
    if (!className)
      throw refused(path, `an instance of unregistered class ${(value.constructor as { name?: string }).name ?? '?'}`);
    return { $c: className, p: properties };
  }

  private encodeProperties(
    value: object,
    path: string,
    ids: Map<object, number>,
    written: Set<object>,
  ): Record<string, SnapshotNode> {
    if (Object.getOwnPropertySymbols(value).length > 0) throw refused(path, 'symbol-keyed properties');
    const out: Record<string, SnapshotNode> = {};
    for (const key of Object.keys(value)) {
      out[key] = this.encode((value as Record<string, unknown>)[key], `${path}.${key}`, ids, written);
    }
    return out;
  }

  private decode(node: unknown, path: string, byId: Map<number, unknown>): unknown {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) throw malformed(path, 'bare array');
    const tagged = node as Record<string, unknown>;
    if ('$r' in tagged) {
      if (!byId.has(tagged.$r as number)) throw malformed(path, `reference ${String(tagged.$r)} before its definition`);
      return byId.get(tagged.$r as number);
    }
    if ('$n' in tagged) return decodeNumber(tagged, path);
    if ('$u' in tagged) return undefined;
    const id = tagged.$id as number | undefined;
    const remember = <T>(value: T): T => {
      if (id !== undefined) byId.set(id, value);
      return value;
    };
    if ('$a' in tagged) {
      const array = remember([] as unknown[]);
      (tagged.$a as unknown[]).forEach((v, i) => array.push(this.decode(v, `${path}[${i}]`, byId)));
      return array;
    }
    if ('$m' in tagged) {
      const map = remember(new Map<unknown, unknown>());
      for (const [k, v] of tagged.$m as Array<[unknown, unknown]>)
        map.set(this.decode(k, path, byId), this.decode(v, `${path}<${String(k)}>`, byId));
      return map;
    }
    if ('$s' in tagged) {
      const set = remember(new Set<unknown>());
      for (const v of tagged.$s as unknown[]) set.add(this.decode(v, path, byId));
      return set;
    }
    if ('$t' in tagged) {
      const ctor = TYPED_ARRAYS[tagged.$t as TypedArrayName];
      if (!ctor) throw malformed(path, `unknown typed array ${String(tagged.$t)}`);
      return remember(
        ctor.from(
          (tagged.v as unknown[]).map((v) =>
            typeof v === 'number' ? v : decodeNumber(v as Record<string, unknown>, path),
          ),
        ),
      );
    }
    if ('$o' in tagged) return this.decodeProperties(remember({}), tagged.$o, path, byId);
    if ('$c' in tagged) {
      const cls = this.byName.get(tagged.$c as string);
      if (!cls) throw malformed(path, `unregistered class ${String(tagged.$c)}`);
      return this.decodeProperties(remember(Object.create(cls.prototype as object) as object), tagged.p, path, byId);
    }
    throw malformed(path, 'untagged object');
  }

  private decodeProperties(target: object, properties: unknown, path: string, byId: Map<number, unknown>): object {
    for (const [key, v] of Object.entries(properties as Record<string, unknown>)) {
      // defineProperty, not assignment: class fields are own data properties, and a setter on the
      // prototype must not run during a restore.
      Object.defineProperty(target, key, {
        value: this.decode(v, `${path}.${key}`, byId),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return target;
  }
}

function countReferences(value: unknown, seen: Map<object, number>): void {
  if (value === null || typeof value !== 'object') return;
  const count = seen.get(value) ?? 0;
  seen.set(value, count + 1);
  if (count > 0 || ArrayBuffer.isView(value)) return;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      countReferences(k, seen);
      countReferences(v, seen);
    }
  } else if (value instanceof Set) {
    for (const v of value) countReferences(v, seen);
  } else {
    for (const v of Object.values(value)) countReferences(v, seen);
  }
}

function encodeNumber(value: number): SnapshotNode {
  if (Number.isNaN(value)) return { $n: 'NaN' };
  if (value === Infinity) return { $n: 'Infinity' };
  if (value === -Infinity) return { $n: '-Infinity' };
  if (Object.is(value, -0)) return { $n: '-0' };
  return value;
}

function decodeNumber(node: Record<string, unknown>, path: string): number {
  switch (node.$n) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw malformed(path, `unknown number ${String(node.$n)}`);
  }
}

function refused(path: string, what: string): ValidationError {
  return new ValidationError(`cannot snapshot ${what} at ${path}`, { field: path });
}

function malformed(path: string, what: string): ValidationError {
  return new ValidationError(`malformed snapshot at ${path}: ${what}`, { field: path });
}
