import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../AppProviders';
import type { Document, ReusableDocument } from '../api/documents';
import { setLanguage } from '../i18n';
import { founder } from '../test/companies';
import { checklist, doc, documentTypes } from '../test/documents';
import { fakeApi, parkAdmin, SLOW } from '../test/fakeApi';
import { ChecklistSlots } from './ChecklistSlots';
import { ReusedFromLine, ReuseOffer } from './ReuseMaterial';

afterEach(() => setLanguage('zh-CN'));

const earlier: ReusableDocument = {
  id: 'S1',
  type: 'business_licence',
  checklist_id: 'application:A0',
  filename: '营业执照.pdf',
  size: 1024,
  content_type: 'application/pdf',
  verified_at: '2026-05-01T03:00:00Z',
  carrier_id: 'C0',
  carrier_name: 'XX众创空间',
};
const copy = doc({ id: 'D9', type: 'business_licence', filename: '营业执照.pdf', reused_from: { document_id: 'S1', verified_at: '2026-05-01T03:00:00Z', carrier_id: 'C0', carrier_name: 'XX众创空间' } });

describe('ReuseOffer', () => {
  it('offers a verified material with its file name and where and when it was verified, and reuses it on a click', async () => {
    const calls = fakeApi({
      'POST /api/v1/checklists/application:A1/documents/reuse': () => ({ status: 201, body: copy }),
    });
    const onReused = vi.fn();
    render(
      <AppProviders>
        <ReuseOffer checklistId="application:A1" type="business_licence" materials={[earlier]} onReused={onReused} />
      </AppProviders>,
    );
    expect(screen.getByTestId('reuse-offer-file-S1').textContent).toBe('营业执照.pdf');
    expect(screen.getByTestId('reuse-offer-verified-S1').textContent).toBe('已于 2026-05-01 由「XX众创空间」核验');
    const use = screen.getByTestId('reuse-offer-use-S1');
    expect(use.textContent).toContain('使用已核验的材料');
    fireEvent.click(use);
    await waitFor(() => expect(onReused).toHaveBeenCalledWith(copy), SLOW);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ source_document_id: 'S1', type: 'business_licence' });
  }, 30000);

  it('says why a reuse was refused and stays offered', async () => {
    fakeApi({
      'POST /api/v1/checklists/application:A1/documents/reuse': () => ({
        status: 409,
        body: { status: 409, slug: 'document-not-verified', title: '只有载体已核验的资料才能沿用；该资料尚未核验或已被退回' },
      }),
    });
    const onReused = vi.fn();
    render(
      <AppProviders>
        <ReuseOffer checklistId="application:A1" type="business_licence" materials={[earlier]} onReused={onReused} />
      </AppProviders>,
    );
    fireEvent.click(screen.getByTestId('reuse-offer-use-S1'));
    expect(await screen.findByText(/只有载体已核验的资料才能沿用/, {}, SLOW)).toBeTruthy();
    expect(onReused).not.toHaveBeenCalled();
    expect(screen.getByTestId('reuse-offer-use-S1')).toBeTruthy();
  }, 30000);

  it('offers nothing without verified materials', () => {
    const { container } = render(
      <AppProviders>
        <ReuseOffer checklistId="application:A1" type="business_licence" materials={[]} onReused={() => {}} />
      </AppProviders>,
    );
    expect(container.textContent).toBe('');
  });
});

describe('ReusedFromLine', () => {
  it('tells the reviewer where and when the material was verified, in zh-CN and en', () => {
    render(
      <AppProviders>
        <ReusedFromLine from={copy.reused_from} testId="line" />
      </AppProviders>,
    );
    expect(screen.getByTestId('line').textContent).toBe('沿用的材料：已于 2026-05-01 由「XX众创空间」核验');
    act(() => setLanguage('en'));
    expect(screen.getByTestId('line').textContent).toBe('Reused material: verified on 2026-05-01 by “XX众创空间”');
  });
});

describe('ChecklistSlots with reusable materials', () => {
  it('offers 使用已核验的材料 next to the upload of an empty slot of that type only, and fills the slot with the copy', async () => {
    // An application asking for a licence and a plan, the licence slot filled by licence.
    const slots = (licence: Document | null) =>
      checklist([
        { type: 'business_licence', required: true, document: licence },
        { type: 'business_plan', required: true, document: null },
      ]);
    let current = slots(null);
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/checklists/application:A1': () => ({ status: 200, body: current }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
      'GET /api/v1/companies/K1/documents/reusable': () => ({
        status: 200,
        // The slot's own checklist's material is not offered back to it.
        body: { items: [earlier, { ...earlier, id: 'S2', checklist_id: 'application:A1' }], total: 2, page: 1, page_size: 2 },
      }),
      'POST /api/v1/checklists/application:A1/documents/reuse': () => {
        current = slots(copy);
        return { status: 201, body: copy };
      },
    });
    const onUploaded = vi.fn();
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="startup" editable onUploaded={onUploaded} />
      </AppProviders>,
    );
    const offer = await screen.findByTestId('slot-reuse-business_licence', {}, SLOW);
    expect(within(offer).getByTestId('slot-reuse-business_licence-file-S1').textContent).toBe('营业执照.pdf');
    expect(within(offer).queryByTestId('slot-reuse-business_licence-use-S2')).toBeNull();
    expect(screen.queryByTestId('slot-reuse-business_plan')).toBeNull();
    expect(screen.getByTestId('slot-uploader-business_licence')).toBeTruthy();

    fireEvent.click(within(offer).getByTestId('slot-reuse-business_licence-use-S1'));
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(copy), SLOW);
    await waitFor(() => expect(screen.getByTestId('slot-status-business_licence').textContent).toBe('已上传'), SLOW);
    expect(screen.getByTestId('slot-reused-business_licence').textContent).toBe('沿用的材料：已于 2026-05-01 由「XX众创空间」核验');
    expect(screen.queryByTestId('slot-reuse-business_licence')).toBeNull();
  }, 60000);

  it('shows the reviewer the provenance line on the document', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/checklists/application:A1': () => ({
        status: 200,
        body: checklist([{ type: 'business_licence', required: true, document: copy }]),
      }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="operator" canReview />
      </AppProviders>,
    );
    const line = await screen.findByTestId('slot-reused-business_licence', {}, SLOW);
    expect(line.textContent).toBe('沿用的材料：已于 2026-05-01 由「XX众创空间」核验');
    expect(screen.getByTestId('slot-verify-business_licence')).toBeTruthy();
  }, 30000);
});
