import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../AppProviders';
import type { Checklist, Document } from '../api/documents';
import { districtViewer, founder } from '../test/companies';
import { checklist, doc, documentTypes, licenceType, pdfType } from '../test/documents';
import { fakeApi, parkAdmin, SLOW } from '../test/fakeApi';
import { fakeXhr, type FakeXHR } from '../test/fakeXhr';
import { ChecklistSlots } from './ChecklistSlots';
import { DocumentUpload } from './DocumentUpload';

const pdf = (name = '营业执照.pdf', bytes = '%PDF-1.4\n%%EOF\n') => new File([bytes], name, { type: 'application/pdf' });

function fileInput(container: HTMLElement): HTMLInputElement {
  const input = container.querySelector('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input as HTMLInputElement;
}

function withChecklist(initial: Checklist, me = founder) {
  let current = initial;
  const calls = fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: me }),
    'GET /api/v1/checklists/application:A1': () => ({ status: 200, body: current }),
    'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
  });
  return { calls, set: (c: Checklist) => (current = c) };
}

const returnedPlan = doc({ id: 'D2', version: 2, status: 'returned', comment: '请补充盖章页', filename: '商业计划书-修订.pdf' });
const verifiedIp = doc({ id: 'D3', type: 'ip_certificate', status: 'verified', filename: '专利证书.pdf' });

describe('ChecklistSlots (startup)', () => {
  it('shows each slot with status, comment, file, version and download, and uploads into an empty slot', async () => {
    const { calls, set } = withChecklist(
      checklist([
        { type: 'business_licence', required: true, document: null },
        { type: 'business_plan', required: true, document: returnedPlan },
        { type: 'ip_certificate', required: false, document: verifiedIp },
      ]),
    );
    let xhr: FakeXHR | undefined;
    fakeXhr((x) => (xhr = x));
    const onUploaded = vi.fn();
    render(
      <AppProviders>
        <ChecklistSlots
          checklistId="application:A1"
          variant="startup"
          editable
          errors={{ business_licence: ['请上传该材料'] }}
          onUploaded={onUploaded}
        />
      </AppProviders>,
    );

    const licence = await screen.findByTestId('slot-business_licence', {}, SLOW);
    expect(screen.getByTestId('slot-status-business_licence').textContent).toBe('待上传');
    expect(screen.getByTestId('slot-status-business_plan').textContent).toBe('已退回');
    expect(screen.getByTestId('slot-status-ip_certificate').textContent).toBe('已核验');
    // The region's names, the operator's comment, the latest file and its version.
    await waitFor(() => expect(screen.getByTestId('slot-name-business_licence').textContent).toBe('营业执照'), SLOW);
    expect(screen.getByTestId('slot-comment-business_plan').textContent).toContain('退回意见：请补充盖章页');
    const download = screen.getByTestId('slot-download-business_plan') as HTMLAnchorElement;
    expect(download.textContent).toBe('商业计划书-修订.pdf');
    expect(download.getAttribute('href')).toBe('/api/v1/documents/D2/versions/2/content');
    expect(screen.getByTestId('slot-version-business_plan').textContent).toBe('第 2 版');
    // The refused submission's reason sits next to its slot.
    expect(screen.getByTestId('slot-error-business_licence').textContent).toBe('请上传该材料');
    // Filled slots offer a new version; the verified one too (the service decides), the empty one a drop zone.
    expect(screen.getByTestId('slot-upload-business_plan')).toBeTruthy();
    expect(screen.queryByTestId('slot-uploader-business_plan')).toBeNull();
    const uploader = within(licence).getByTestId('slot-uploader-business_licence');
    await waitFor(() => expect(within(uploader).getByTestId('upload-hint').textContent).toBe('支持 PDF、JPG 图片、PNG 图片，单个文件不超过 10.0 MB'), SLOW);
    expect(screen.getByTestId('checklist-summary').textContent).toBe('尚有必需材料未上传或已被退回');

    const file = pdf();
    fireEvent.change(fileInput(uploader), { target: { files: [file] } });
    await waitFor(() => expect(xhr).toBeDefined(), SLOW);
    expect(xhr?.path).toBe('/api/v1/companies/K1/documents');
    expect(xhr?.query).toEqual({ type: 'business_licence', checklist: 'application:A1', filename: '营业执照.pdf' });
    expect(xhr?.body).toBe(file);

    act(() => xhr?.progress(8, 16));
    await waitFor(() => expect(within(uploader).getByTestId('upload-progress').textContent).toContain('50%'), SLOW);

    const uploaded = doc({ id: 'D9', type: 'business_licence', filename: '营业执照.pdf' });
    set(
      checklist([
        { type: 'business_licence', required: true, document: uploaded },
        { type: 'business_plan', required: true, document: returnedPlan },
        { type: 'ip_certificate', required: false, document: verifiedIp },
      ]),
    );
    act(() => xhr?.reply(201, uploaded));
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(uploaded), SLOW);
    await waitFor(() => expect(screen.getByTestId('slot-status-business_licence').textContent).toBe('已上传'), SLOW);
    expect(calls.filter((c) => c.url === '/api/v1/checklists/application:A1').length).toBeGreaterThanOrEqual(2);
    expect(screen.queryByTestId('slot-uploader-business_licence')).toBeNull();
  }, 60000);

  it('waits for a checklist the service has not opened yet', async () => {
    let tries = 0;
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/checklists/application:A1': () =>
        ++tries < 3
          ? { status: 404, body: { status: 404, code: 'checklist-not-found', detail: '材料清单不存在' } }
          : { status: 200, body: checklist([{ type: 'business_plan', required: true, document: null }]) },
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="startup" editable />
      </AppProviders>,
    );
    expect(await screen.findByTestId('slot-business_plan', {}, SLOW)).toBeTruthy();
    expect(tries).toBe(3);
  }, 30000);

  it('still shows a refusal\'s reasons when the checklist cannot be loaded', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/checklists/application:A1': () => ({ status: 503, body: { status: 503, detail: '材料服务暂不可用' } }),
    });
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="startup" editable errors={{ business_plan: ['请上传该材料'] }} />
      </AppProviders>,
    );
    expect(await screen.findByText('材料服务暂不可用', {}, SLOW)).toBeTruthy();
    expect(screen.getByTestId('slot-error-business_plan').textContent).toBe('商业计划书：请上传该材料');
  }, 30000);

  it('offers no uploads when the checklist is closed', async () => {
    withChecklist(checklist([{ type: 'business_plan', required: true, document: null }], { open: false }));
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="startup" editable />
      </AppProviders>,
    );
    expect(await screen.findByTestId('checklist-closed', {}, SLOW)).toBeTruthy();
    expect(screen.queryByTestId('slot-uploader-business_plan')).toBeNull();
  }, 30000);
});

describe('ChecklistSlots (operator)', () => {
  it('verifies, and returns only with a comment', async () => {
    const plan = doc({ id: 'D1', status: 'uploaded' });
    const posted: { url: string; body: unknown }[] = [];
    let current: Checklist = checklist([{ type: 'business_plan', required: true, document: plan }]);
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
      'GET /api/v1/checklists/application:A1': () => ({ status: 200, body: current }),
      'GET /api/v1/documents/D1': () => ({
        status: 200,
        body: {
          ...plan,
          versions: [{ version: 1, id: 'V1', filename: plan.filename, size: plan.size, sha256: plan.sha256, content_type: 'application/pdf', uploaded_by: 'UF', uploaded_at: plan.uploaded_at, status: 'uploaded', comment: '' }],
        },
      }),
      'POST /api/v1/documents/D1/verify': (c) => {
        posted.push({ url: c.url, body: c.body });
        const d: Document = { ...plan, status: 'verified' };
        current = checklist([{ type: 'business_plan', required: true, document: d }]);
        return { status: 200, body: d };
      },
      'POST /api/v1/documents/D1/return': (c) => {
        posted.push({ url: c.url, body: c.body });
        const d: Document = { ...plan, status: 'returned', comment: (c.body as { comment: string }).comment };
        current = checklist([{ type: 'business_plan', required: true, document: d }]);
        return { status: 200, body: d };
      },
    });
    const onReviewed = vi.fn();
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="operator" canReview onReviewed={onReviewed} />
      </AppProviders>,
    );
    await screen.findByTestId('slot-business_plan', {}, SLOW);
    // No uploads for the operator; the versions open with their downloads.
    expect(screen.queryByTestId('slot-uploader-business_plan')).toBeNull();
    fireEvent.click(screen.getByTestId('slot-versions-toggle-business_plan'));
    const v1 = await screen.findByTestId('version-download-1', {}, SLOW);
    expect(v1.getAttribute('href')).toBe('/api/v1/documents/D1/versions/1/content');

    fireEvent.click(screen.getByTestId('slot-verify-business_plan'));
    await waitFor(() => expect(screen.getByTestId('slot-status-business_plan').textContent).toBe('已核验'), SLOW);
    expect(posted[0]).toEqual({ url: '/api/v1/documents/D1/verify', body: {} });
    expect(onReviewed).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('slot-verify-business_plan')).toBeNull();

    fireEvent.click(screen.getByTestId('slot-return-business_plan'));
    const submit = await screen.findByTestId('return-submit', {}, SLOW);
    fireEvent.click(submit);
    expect(await screen.findByText('请填写退回意见', {}, SLOW)).toBeTruthy();
    expect(posted).toHaveLength(1);
    fireEvent.change(screen.getByTestId('return-comment'), { target: { value: '  缺少盖章页 ' } });
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('slot-status-business_plan').textContent).toBe('已退回'), SLOW);
    expect(posted[1]).toEqual({ url: '/api/v1/documents/D1/return', body: { comment: '缺少盖章页' } });
    expect(screen.getByTestId('slot-comment-business_plan').textContent).toContain('缺少盖章页');
  }, 60000);

  it('reads only without the right to review', async () => {
    withChecklist(checklist([{ type: 'business_plan', required: true, document: doc() }]), parkAdmin);
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="operator" />
      </AppProviders>,
    );
    await screen.findByTestId('slot-business_plan', {}, SLOW);
    expect(screen.queryByTestId('slot-verify-business_plan')).toBeNull();
    expect(screen.queryByTestId('slot-return-business_plan')).toBeNull();
    expect(screen.getByTestId('slot-download-business_plan')).toBeTruthy();
  }, 30000);
});

describe('ChecklistSlots (district)', () => {
  it('names the files without download links: the district reads metadata only', async () => {
    withChecklist(checklist([{ type: 'business_plan', required: true, document: doc({ filename: '计划书.pdf' }) }]), districtViewer);
    render(
      <AppProviders>
        <ChecklistSlots checklistId="application:A1" variant="operator" />
      </AppProviders>,
    );
    await screen.findByTestId('slot-business_plan', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('slot-filename-business_plan').textContent).toBe('计划书.pdf'), SLOW);
    expect(screen.queryByTestId('slot-download-business_plan')).toBeNull();
  }, 30000);
});

describe('DocumentUpload', () => {
  it('shows the service\'s reason under a refused file', async () => {
    fakeApi({ 'GET /api/v1/auth/me': () => ({ status: 200, body: founder }) });
    fakeXhr((x) =>
      setTimeout(() =>
        x.reply(415, {
          status: 415,
          title: '文件类型不允许',
          code: 'type-not-allowed',
          detail: '商业计划书只接受 PDF 文件',
          errors: [{ field: 'file', code: 'type_not_allowed', message: '检测到的类型为 image/png' }],
        }),
      ),
    );
    const onUploaded = vi.fn();
    const { container } = render(
      <AppProviders>
        <DocumentUpload companyId="K1" type="business_plan" documentType={pdfType} onUploaded={onUploaded} />
      </AppProviders>,
    );
    expect(screen.getByTestId('upload-hint').textContent).toBe('支持 PDF，单个文件不超过 20.0 MB');
    fireEvent.change(fileInput(container), { target: { files: [new File(['png'], 'plan.png', { type: 'image/png' })] } });
    const error = await screen.findByTestId('upload-error', {}, SLOW);
    expect(error.textContent).toBe('上传失败：商业计划书只接受 PDF 文件 · 检测到的类型为 image/png');
    expect(screen.getByTestId('upload-item').textContent).toContain('plan.png');
    expect(onUploaded).not.toHaveBeenCalled();
  }, 30000);

  it('refuses a file over the limit before sending it, and names both sizes', async () => {
    fakeApi({ 'GET /api/v1/auth/me': () => ({ status: 200, body: founder }) });
    const xhrs = fakeXhr();
    const { container } = render(
      <AppProviders>
        <DocumentUpload companyId="K1" type="business_licence" documentType={{ ...licenceType, max_bytes: 10 }} onUploaded={vi.fn()} />
      </AppProviders>,
    );
    fireEvent.change(fileInput(container), { target: { files: [pdf('big.pdf', 'x'.repeat(20))] } });
    const error = await screen.findByTestId('upload-error', {}, SLOW);
    expect(error.textContent).toBe('上传失败：文件大小 20 B，超过上限 10 B');
    expect(xhrs).toHaveLength(0);
  }, 30000);

  it('reads the type\'s limits from the region when not given them', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    });
    render(
      <AppProviders>
        <DocumentUpload companyId="K1" type="business_plan" regionId="R1" onUploaded={vi.fn()} />
      </AppProviders>,
    );
    await waitFor(() => expect(screen.getByTestId('upload-hint').textContent).toBe('支持 PDF，单个文件不超过 20.0 MB'), SLOW);
  }, 30000);
});
