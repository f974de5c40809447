import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me } from '../api/auth';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW } from '../test/fakeApi';
import { changedFields, toInput } from './CarrierFormPage';

const districtAdmin: Me = {
  user: { id: 'U2', email: 'district@lixia.demo', display_name: '区管理员', created_at: '' },
  assignments: [
    { role: 'district_admin', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '历下区', name_en: 'Lixia', region_id: 'R1' },
  ],
};

describe('changedFields', () => {
  it('keeps only what changed', () => {
    const before = toInput(minghu);
    expect(changedFields(before, { ...before })).toEqual({});
    expect(changedFields(before, { ...before, name_en: 'X', focus_industries: ['I65', 'M73'] })).toEqual({
      name_en: 'X',
      focus_industries: ['I65', 'M73'],
    });
  });
});

describe('carrier form', () => {
  it('edits with PATCH of the changed fields and shows field errors from the server', async () => {
    let attempt = 0;
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'PATCH /api/v1/carriers/C1': () => {
        attempt++;
        if (attempt === 1) {
          return {
            status: 422,
            body: {
              status: 422,
              code: 'incorrect-input',
              slug: 'invalid-carrier',
              detail: '载体信息有误',
              errors: [
                { field: 'name_en', code: 'too_long', message: '英文名称过长', params: { max: 200 } },
                { field: 'website', code: 'invalid' },
              ],
            },
          };
        }
        return { status: 200, body: { ...minghu, name_en: 'Minghu Park' } };
      },
    });
    renderApp('/carriers/C1/edit');
    const nameEn = (await screen.findByTestId('carrier-name-en', {}, SLOW)) as HTMLInputElement;
    await waitFor(() => expect(nameEn.value).toBe(minghu.name_en), SLOW);

    fireEvent.change(nameEn, { target: { value: 'Minghu Park' } });
    fireEvent.click(screen.getByTestId('carrier-save'));

    expect(await screen.findByText('英文名称过长', {}, SLOW)).toBeTruthy();
    const alert = await screen.findByTestId('carrier-form-error');
    // A field the form does not show is told by its message, never by its key.
    expect(alert.textContent).toContain('输入不正确');
    expect(alert.textContent).not.toContain('website');
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ name_en: 'Minghu Park' });

    fireEvent.click(screen.getByTestId('carrier-save'));
    expect(await screen.findByTestId('carrier-title', {}, SLOW)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2);
  });

  it('creates a carrier in the region with exactly the fields the API takes', async () => {
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: districtAdmin }),
      'POST /api/v1/regions/R1/carriers': (c) => ({ status: 201, body: { ...minghu, ...(c.body as object), id: 'C9' } }),
      'GET /api/v1/carriers/C9': () => ({ status: 200, body: { ...minghu, id: 'C9', name_zh: '历下新孵化器', kind: 'incubator', chain_order: 2 } }),
    });
    renderApp('/regions/R1/carriers/new');
    fireEvent.change(await screen.findByTestId('carrier-name-zh', {}, SLOW), { target: { value: '历下新孵化器' } });
    fireEvent.mouseDown(screen.getByTestId('carrier-kind').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('孵化器'));
    fireEvent.click(screen.getByTestId('carrier-save'));

    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true), SLOW);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({
      name_zh: '历下新孵化器',
      name_en: '',
      kind: 'incubator',
      address: '',
      area_m2: 0,
      focus_industries: [],
      capacity: 0,
      status: 'active',
    });
    // The chain position is shown, derived from the kind, but never sent.
    expect(post?.body).not.toHaveProperty('chain_order');
    await waitFor(() => expect(screen.getByTestId('carrier-title').textContent).toBe('历下新孵化器'), SLOW);
  });
});
