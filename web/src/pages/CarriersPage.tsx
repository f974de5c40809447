import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Table, Typography, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useEffect } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { listCarriers, type CarrierQuery, CARRIER_KINDS, CARRIER_STATUSES, type Carrier } from '../api/carriers';
import { canWriteRegion } from '../auth/roles';
import { useSession } from '../auth/session';
import { CarrierLinks } from '../components/CarrierLinks';
import { ErrorAlert } from '../components/ErrorAlert';
import { KindTag, StatusTag, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { formatDateTime, localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

const PAGE_SIZES = [10, 20, 50, 100];
// The fields the parks service sorts by (anything else answers 422 bad_sort).
const SORTABLE = ['name', 'chain_order', 'area_m2', 'capacity', 'created_at'];

/** readQuery turns the URL into the list query, so reloads and links keep filters. */
export function readQuery(sp: URLSearchParams): Required<Pick<CarrierQuery, 'page' | 'page_size'>> & CarrierQuery {
  const int = (v: string | null, d: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : d;
  };
  return {
    page: int(sp.get('page'), 1),
    page_size: int(sp.get('page_size'), 20),
    q: sp.get('q') ?? undefined,
    kind: sp.get('kind') ?? undefined,
    status: sp.get('status') ?? undefined,
    sort: sp.get('sort') ?? undefined,
  };
}

export function CarriersPage() {
  const { regionId = '' } = useParams();
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { me, regionId: current, setRegionId } = useSession();
  const [sp, setSp] = useSearchParams();
  const navigate = useNavigate();
  const query = readQuery(sp);

  useEffect(() => {
    if (regionId && regionId !== current) setRegionId(regionId);
  }, [regionId, current, setRegionId]);

  const { data, error, loading, reload } = useAsync(
    (signal) => listCarriers(regionId, query, signal),
    [regionId, query.page, query.page_size, query.q, query.kind, query.status, query.sort],
  );

  const update = (patch: Partial<Record<keyof CarrierQuery, string | number | undefined>>, resetPage = true) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage) next.delete('page');
    setSp(next, { replace: true });
  };

  const sortField = query.sort?.replace(/^-/, '');
  const sortOrder = (field: string) =>
    sortField === field ? (query.sort?.startsWith('-') ? ('descend' as const) : ('ascend' as const)) : null;

  const columns: TableProps<Carrier>['columns'] = [
    {
      title: t('carrier.name'),
      dataIndex: lang === 'en' ? 'name_en' : 'name_zh',
      key: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (_: unknown, c) => (
        <Link to={`/carriers/${c.id}`} data-testid="carrier-link">
          {localizedName(lang, c)}
        </Link>
      ),
    },
    {
      title: t('carrier.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (_: unknown, c) => <KindTag kind={c.kind} />,
    },
    {
      title: t('carrier.chainOrder'),
      dataIndex: 'chain_order',
      key: 'chain_order',
      sorter: true,
      sortOrder: sortOrder('chain_order'),
      responsive: ['md'],
      render: (v: number) => (v > 0 ? v : '—'),
    },
    {
      title: t('carrier.areaM2'),
      dataIndex: 'area_m2',
      key: 'area_m2',
      sorter: true,
      sortOrder: sortOrder('area_m2'),
      responsive: ['lg'],
      align: 'right',
      render: (v: number) => (typeof v === 'number' ? v.toLocaleString(lang) : ''),
    },
    {
      title: t('carrier.capacity'),
      dataIndex: 'capacity',
      key: 'capacity',
      sorter: true,
      sortOrder: sortOrder('capacity'),
      responsive: ['lg'],
      align: 'right',
    },
    {
      title: t('carrier.status'),
      dataIndex: 'status',
      key: 'status',
      render: (_: unknown, c) => <StatusTag status={c.status} />,
    },
    {
      title: t('carrier.createdAt'),
      dataIndex: 'created_at',
      key: 'created_at',
      sorter: true,
      sortOrder: sortOrder('created_at'),
      responsive: ['xl'],
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('carrier.links'),
      key: 'links',
      render: (_: unknown, c) => <CarrierLinks carrierId={c.id} testId={`carrier-links-${c.id}`} />,
    },
  ];

  const onChange: TableProps<Carrier>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Carrier>;
      const field = typeof s.columnKey === 'string' && SORTABLE.includes(s.columnKey) ? s.columnKey : undefined;
      update({ sort: field && s.order ? (s.order === 'descend' ? `-${field}` : field) : undefined });
      return;
    }
    update({ page: pagination.current, page_size: pagination.pageSize }, false);
  };

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('carriers.title')}</Typography.Title>}
      extra={
        canWriteRegion(me?.assignments ?? [], regionId) ? (
          <Button type="primary" icon={<PlusOutlined />} data-testid="carrier-new" onClick={() => navigate(`/regions/${regionId}/carriers/new`)}>
            {t('carriers.new')}
          </Button>
        ) : undefined
      }
    >
      <div className="page-toolbar">
        <Input.Search
          className="grow"
          allowClear
          defaultValue={query.q}
          key={query.q ?? ''}
          placeholder={t('carriers.searchPlaceholder')}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          data-testid="carriers-search"
          aria-label={t('carriers.searchPlaceholder')}
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('carriers.filterKind')}
          value={query.kind}
          onChange={(v?: string) => update({ kind: v })}
          options={CARRIER_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))}
          data-testid="carriers-kind-filter"
          aria-label={t('carriers.filterKind')}
        />
        <Select
          allowClear
          style={{ minWidth: 130 }}
          placeholder={t('carriers.filterStatus')}
          value={query.status}
          onChange={(v?: string) => update({ status: v })}
          options={CARRIER_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
          data-testid="carriers-status-filter"
          aria-label={t('carriers.filterStatus')}
        />
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Carrier>
        data-testid="carriers-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        onChange={onChange}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: query.page,
          pageSize: query.page_size,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showTotal: (total) => t('common.total', { total }),
        }}
      />
    </Card>
  );
}
