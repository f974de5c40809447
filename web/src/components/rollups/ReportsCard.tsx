import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { getReports, MONEY_SUMS, SUM_KEYS, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { DrillNumber } from './drill';
import { ExportButtons } from './ExportButtons';
import { useRollupLabels } from './labels';

/**
 * ReportsCard sums the reports (each one's latest accepted revision, money in
 * 千元) and lists the top R&D spenders the policy tracks one by one.
 */
export function ReportsCard({ regionId, filters }: { regionId: string; filters: RollupFilters }) {
  const { t } = useI18n();
  const l = useRollupLabels();
  const state = useAsync((signal) => getReports(regionId, filters, signal), [regionId, JSON.stringify(filters)]);
  const d = state.data;
  const unit = (k: string) => (MONEY_SUMS.has(k as never) ? d?.money_unit || t('r.unit.thousand') : undefined);
  return (
    <Card
      title={t('r.rows.table.reports')}
      size="small"
      data-testid="reports-card"
      loading={state.loading && !d}
      extra={<ExportButtons regionId={regionId} table="reports" query={filters} testId="export-reports" />}
    >
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      {d ? (
        <>
          <Typography.Paragraph type="secondary">{t('r.reports.count', { reports: l.num(d.reports), companies: l.num(d.companies) })}</Typography.Paragraph>
          <Row gutter={[12, 12]}>
            {SUM_KEYS.map((k) => (
              <Col xs={12} sm={8} lg={6} key={k}>
                <Statistic
                  title={unit(k) ? `${l.sum(k)}（${unit(k)}）` : l.sum(k)}
                  valueRender={() => (
                    <DrillNumber spec={{ table: 'reports', title: l.sum(k) }} testId={`sum-${k}`}>
                      {l.num(d.sums[k], MONEY_SUMS.has(k))}
                    </DrillNumber>
                  )}
                />
              </Col>
            ))}
          </Row>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('r.top.title')}
          </Typography.Title>
          <Table
            size="small"
            rowKey="company_id"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={d.top_rd_spenders}
            data-testid="top-spenders"
            locale={{ emptyText: t('r.empty') }}
            columns={[
              { key: 'rank', title: '#', render: (_, __, i) => i + 1 },
              { key: 'company', title: t('r.col.company'), dataIndex: 'company_name' },
              { key: 'uscc', title: t('r.col.uscc'), dataIndex: 'uscc', className: 'mono' },
              {
                key: 'rd',
                title: `${l.sum('rd_expenditure')}（${t('r.unit.thousand')}）`,
                align: 'right',
                render: (_, r) => (
                  <DrillNumber spec={{ table: 'reports', title: r.company_name, q: r.uscc || r.company_name }} testId={`top-${r.company_id}`}>
                    {l.num(r.rd_expenditure, true)}
                  </DrillNumber>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}
