// The province's districts as an admin-managed list. Users, keys and cameras name districts from it; an
// empty list means the deployment has not adopted it yet and names stay free text.
import type { Pool } from 'pg';
import { DistrictNameTakenError, DistrictNotFoundError } from '../core/errors.ts';

/** The demo's city: Hà Nội's urban districts, seeded by `ioc start --demo` into an empty list. */
export const DEMO_DISTRICTS = [
  'Ba Đình',
  'Hoàn Kiếm',
  'Tây Hồ',
  'Long Biên',
  'Cầu Giấy',
  'Đống Đa',
  'Hai Bà Trưng',
  'Hoàng Mai',
  'Thanh Xuân',
  'Nam Từ Liêm',
  'Bắc Từ Liêm',
  'Hà Đông',
] as const;

export class DistrictRepository {
  constructor(private readonly pool: Pool) {}

  async list(limit = 1000, offset = 0): Promise<string[]> {
    return (
      await this.pool.query<{ name: string }>('SELECT name FROM districts ORDER BY name LIMIT $1 OFFSET $2', [
        limit,
        offset,
      ])
    ).rows.map((r) => r.name);
  }

  async add(name: string): Promise<void> {
    const result = await this.pool.query('INSERT INTO districts (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
    if (result.rowCount === 0)
      throw new DistrictNameTakenError(`district "${name}" is already in the list`, { field: 'name' });
  }

  async remove(name: string): Promise<void> {
    const result = await this.pool.query('DELETE FROM districts WHERE name = $1', [name]);
    if (result.rowCount === 0)
      throw new DistrictNotFoundError(`district "${name}" is not in the list`, { field: 'name' });
  }

  /** The names that are not in the list; none while the list is empty (not adopted yet). */
  async unknown(names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const result = await this.pool.query<{ name: string; listed: boolean }>(
      `SELECT n.name, EXISTS (SELECT 1 FROM districts d WHERE d.name = n.name) AS listed
       FROM unnest($1::text[]) AS n(name)
       WHERE EXISTS (SELECT 1 FROM districts)`,
      [names],
    );
    return result.rows.filter((r) => !r.listed).map((r) => r.name);
  }

  /** Fills an empty list (the demo); a list an admin already keeps is left alone. */
  async seedIfEmpty(names: readonly string[]): Promise<void> {
    await this.pool.query(
      'INSERT INTO districts (name) SELECT unnest($1::text[]) WHERE NOT EXISTS (SELECT 1 FROM districts) ON CONFLICT DO NOTHING',
      [names],
    );
  }
}
