// Districts as data: province-wide admins keep the list; once it holds names, cameras, users and API keys
// may name only listed districts (400 naming the field); while it is empty names stay free text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRICTS, DistrictRepository } from '../../../store/districts.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

describe('districts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('takes any name while the list is empty', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: { name: 'Tự do', mainUrl: 'rtsp://h/a', district: 'Quận Mới' },
    });
    expect(created.statusCode).toBe(201);
  });

  it('is kept by province-wide admins, read by anyone, and audited', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/districts', headers: t.admin, payload: { name: 'Cầu Giấy' } }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await t.app.inject({ method: 'POST', url: '/api/districts', headers: t.admin, payload: { name: 'Cầu Giấy' } })
      ).json().error.code,
    ).toBe('IOC_DISTRICT_NAME_TAKEN');
    await new DistrictRepository(t.db.pool).add('Ba Đình');
    const police = await t.loginAs('police', ['Cầu Giấy']);
    expect((await t.app.inject({ url: '/api/districts', headers: police.headers })).json()).toEqual({
      items: ['Ba Đình', 'Cầu Giấy'],
    });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/districts',
          headers: police.headers,
          payload: { name: 'Tây Hồ' },
        })
      ).statusCode,
    ).toBe(403);
    const audit = (await t.app.inject({ url: '/api/audit?action=district.create', headers: t.admin })).json();
    expect(audit.items.map((e: { target: string }) => e.target)).toEqual(['district:Cầu Giấy']);
  });

  it('refuses a camera, user or key naming an unlisted district with 400 naming the field', async () => {
    const camera = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: { name: 'Sai quận', mainUrl: 'rtsp://h/b', district: 'Quận 13' },
    });
    expect(camera.statusCode).toBe(400);
    expect(camera.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'district' });
    expect(camera.json().error.message).toContain('Quận 13');
    const user = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.admin,
      payload: {
        username: 'sai.quan',
        password: 'Mat-khau-sai-quan-1',
        role: 'police',
        districts: ['Cầu Giấy', 'Quận 13'],
      },
    });
    expect(user.statusCode).toBe(400);
    expect(user.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'districts.1' });
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: t.admin,
      payload: { name: 'hệ thống', role: 'transport', districts: ['Quận 13'] },
    });
    expect(key.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'districts.0' });
    const listed = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: { name: 'Đúng quận', mainUrl: 'rtsp://h/c', district: 'Cầu Giấy' },
    });
    expect(listed.statusCode).toBe(201);
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${listed.json().id}`,
      headers: t.admin,
      payload: { district: 'Quận 13' },
    });
    expect(moved.json().error).toMatchObject({ field: 'district' });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: t.admin,
          payload: { username: 'toan.tinh', password: 'Mat-khau-toan-tinh-1', role: 'transport', districts: null },
        })
      ).statusCode,
    ).toBe(201);
  });

  it('seeds the demo list only into an empty one', async () => {
    const repository = new DistrictRepository(t.db.pool);
    await repository.seedIfEmpty(DEMO_DISTRICTS);
    expect(await repository.list()).toEqual(['Ba Đình', 'Cầu Giấy']);
    await t.db.pool.query('DELETE FROM districts');
    await repository.seedIfEmpty(DEMO_DISTRICTS);
    expect((await repository.list()).length).toBe(DEMO_DISTRICTS.length);
  });
});
