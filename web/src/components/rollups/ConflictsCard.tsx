import { Card, Table, Typography } from 'antd';
import { useState } from 'react';
import { listRows, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { ROW_KEYS, rowColumns } from './columns';
import { ExportButtons } from './ExportButtons';
import { useRollupLabels } from './labels';

const PAGE_SIZE = 10;

/** ConflictsCard lists the companies resident at two carriers at once (counted once in the region's totals). */
export function ConflictsCard({ regionId, filters }: { regionId: string; filters: RollupFilters }) {
  const { t, lang } = useI18n();
  const l = useRollupLabels();
  const [page, setPage] = useState(1);
  const key = JSON.stringify(filters);
  const state = useAsync((signal) => listRows(regionId, 'conflicts', { ...filters, page, page_size: PAGE_SIZE }, signal), [regionId, key, page]);
  const columns = rowColumns(t, l, (zh, en) => (lang === 'en' && en ? en : zh)).conflicts;
  return (
    <Card
      title={
        <span>
          {t('r.conflicts.title')}{' '}
          <Typography.Text type="secondary" data-testid="conflicts-total">
            ({l.num(state.data?.total)})
          </Typography.Text>
        </span>
      }
      size="small"
      data-testid="conflicts-card"
      extra={<ExportButtons regionId={regionId} table="conflicts" query={filters} testId="export-conflicts" />}
    >
      <Typography.Paragraph type="secondary">{t('r.conflicts.hint')}</Typography.Paragraph>
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      <Table
        size="small"
        data-testid="conflicts-table"
        rowKey={ROW_KEYS.conflicts}
        columns={columns}
        dataSource={state.data?.items ?? []}
        loading={state.loading}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('r.empty') }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: state.data?.total ?? 0, hideOnSinglePage: true, onChange: setPage, showSizeChanger: false }}
      />
    </Card>
  );
}
