import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../AppProviders';
import { ExportButtons } from './ExportButtons';

describe('export buttons', () => {
  it('shows the bytes received while the file streams, then saves it', async () => {
    let push: ((s: string) => void) | undefined;
    let end: (() => void) | undefined;
    const fetch = vi.fn(async (url: string) => {
      // The session asks who is signed in; only the export streams.
      if (!url.includes('/rollups/export')) return new Response(null, { status: 401 });
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          push = (s) => c.enqueue(new TextEncoder().encode(s));
          end = () => c.close();
        },
      });
      // The body as the browser hands it over: a stream read while it arrives.
      const headers = new Headers({ 'Content-Type': 'text/csv', 'Content-Disposition': "attachment; filename=c.csv; filename*=UTF-8''%E8%BD%BD%E4%BD%93.csv" });
      return { ok: true, status: 200, headers, body } as unknown as Response;
    });
    vi.stubGlobal('fetch', fetch);
    const created = vi.fn((b: Blob) => `blob:${b.size}`);
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });

    render(
      <AppProviders>
        <ExportButtons regionId="R1" table="carriers" query={{ period: '2026', carrier_kind: 'incubator' }} testId="exp" />
      </AppProviders>,
    );
    fireEvent.click(screen.getByTestId('exp-csv'));
    await waitFor(() => expect(push).toBeDefined());
    push?.('x'.repeat(2048));
    await waitFor(() => expect(screen.getByTestId('exp-progress').textContent).toBe('已接收 2 KB'));
    push?.('y'.repeat(1024));
    await waitFor(() => expect(screen.getByTestId('exp-progress').textContent).toBe('已接收 3 KB'));
    end?.();
    await waitFor(() => expect(screen.getByTestId('exp-result').textContent).toBe('已导出 载体.csv（3 KB）'));
    expect(clicked).toEqual(['载体.csv']);
    expect(created.mock.calls[0][0].size).toBe(3072);
    const url = new URL(fetch.mock.calls.map((c) => c[0]).find((u) => u.includes('/rollups/export')) ?? '', 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ period: '2026', carrier_kind: 'incubator', table: 'carriers', format: 'csv' });
  });

  it('says why an export failed', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ status: 403, detail: '无权导出' }), { status: 403 })));
    render(
      <AppProviders>
        <ExportButtons regionId="R1" table="health" query={{}} testId="exp" />
      </AppProviders>,
    );
    fireEvent.click(screen.getByTestId('exp-xlsx'));
    await waitFor(() => expect(screen.getByTestId('exp-result').textContent).toBe('导出失败：无权导出'));
  });
});
