import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { downloadExport, saveBlob, type ExportFormat, type RollupTable, type RowQuery } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { formatBytes } from '../../lib/files';

interface Progress {
  format: ExportFormat;
  bytes: number;
}

/**
 * ExportButtons export one table with the page's filters as xlsx or CSV: the
 * body is read as it streams (the bytes received so far are shown), then the
 * file is saved.
 */
export function ExportButtons({
  regionId,
  table,
  query,
  testId,
  label,
}: {
  regionId: string;
  table: RollupTable;
  query: RowQuery;
  testId: string;
  /** names the table when a card exports more than one */
  label?: string;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<Progress | undefined>();
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const ctrl = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => ctrl.current?.abort(), []);

  const run = async (format: ExportFormat) => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setResult(undefined);
    setBusy({ format, bytes: 0 });
    try {
      const file = await downloadExport(regionId, table, format, query, (bytes) => setBusy({ format, bytes }), c.signal);
      saveBlob(file.blob, file.filename);
      setResult({ ok: true, text: t('r.export.done', { name: file.filename, bytes: formatBytes(file.bytes) }) });
    } catch (e) {
      if (c.signal.aborted) return;
      setResult({ ok: false, text: t('r.export.failed', { error: e instanceof Error ? e.message : String(e) }) });
    } finally {
      if (!c.signal.aborted) setBusy(undefined);
    }
  };

  return (
    <Space size={4} wrap data-testid={testId}>
      {label ? <Typography.Text type="secondary">{label}</Typography.Text> : null}
      {(['xlsx', 'csv'] as const).map((format) => (
        <Button
          key={format}
          size="small"
          icon={<DownloadOutlined />}
          loading={busy?.format === format}
          disabled={!!busy && busy.format !== format}
          onClick={() => void run(format)}
          data-testid={`${testId}-${format}`}
        >
          {t(format === 'xlsx' ? 'r.export.xlsx' : 'r.export.csv')}
        </Button>
      ))}
      {busy ? (
        <Typography.Text type="secondary" data-testid={`${testId}-progress`}>
          {t('r.export.progress', { bytes: formatBytes(busy.bytes) })}
        </Typography.Text>
      ) : result ? (
        <Typography.Text type={result.ok ? 'success' : 'danger'} data-testid={`${testId}-result`}>
          {result.text}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
