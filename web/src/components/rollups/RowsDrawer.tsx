import { Drawer, Input, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { listRows, type RollupFilters, type RollupTable, type RowQuery } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../ErrorAlert';
import { useAsync } from '../../lib/useAsync';
import { narrow } from './filters';
import { ROW_KEYS, rowColumns } from './columns';
import type { DrillSpec } from './drill';
import { ExportButtons } from './ExportButtons';
import { useRollupLabels } from './labels';

const PAGE_SIZE = 20;

/**
 * RowsDrawer shows the rows behind one number: the paged drill-down table of
 * its figure with the page's filters, a search, and the table's exports.
 */
export function RowsDrawer({ regionId, filters, spec, onClose }: { regionId: string; filters: RollupFilters; spec?: DrillSpec; onClose: () => void }) {
  const { t, lang } = useI18n();
  const l = useRollupLabels();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState<string | undefined>();
  useEffect(() => {
    setPage(1);
    setQ(spec?.q);
  }, [spec]);

  const query: RowQuery = useMemo(
    () => ({ ...narrow(filters, spec?.filters), measure: spec?.measure, step: spec?.step }),
    [filters, spec],
  );
  const rows = useAsync(
    (signal) => (spec ? listRows(regionId, spec.table, { ...query, q, page, page_size: PAGE_SIZE }, signal) : Promise.resolve(undefined)),
    [regionId, spec, query, q, page],
  );
  const nameOf = (zh: string, en: string) => (lang === 'en' && en ? en : zh);
  const table: RollupTable = spec?.table ?? 'carriers';
  const columns = rowColumns(t, l, nameOf)[table];

  return (
    <Drawer
      open={!!spec}
      onClose={onClose}
      width="min(1100px, 100vw)"
      destroyOnHidden
      title={
        spec ? (
          <span data-testid="rows-title">
            {t(`r.rows.table.${table}`)} · {spec.title}
          </span>
        ) : null
      }
    >
      {spec ? (
        <div data-testid="rows-drawer">
          <div className="page-toolbar">
            <Input.Search
              className="grow"
              allowClear
              defaultValue={spec.q}
              placeholder={t('r.rows.search')}
              aria-label={t('r.rows.search')}
              onSearch={(v) => {
                setQ(v.trim() || undefined);
                setPage(1);
              }}
              data-testid="rows-search"
            />
            <ExportButtons regionId={regionId} table={table} query={query} testId="rows-export" />
          </div>
          {rows.error ? <ErrorAlert error={rows.error} onRetry={rows.reload} /> : null}
          <Table
            size="small"
            data-testid="rows-table"
            rowKey={ROW_KEYS[table] as (r: object) => string}
            columns={columns as never}
            dataSource={(rows.data?.items ?? []) as object[]}
            loading={rows.loading}
            locale={{ emptyText: t('r.empty') }}
            scroll={{ x: 'max-content' }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: rows.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => <Typography.Text data-testid="rows-total">{t('common.total', { total })}</Typography.Text>,
              onChange: setPage,
            }}
          />
        </div>
      ) : null}
    </Drawer>
  );
}
