import { Card, Input, Select, Table, Typography, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { listRegionCompanies, type CompanyQuery, type Company } from '../api/companies';
import { isPlatformAdmin, regionsOf } from '../auth/roles';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { CompanyKey, IndustryText, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { INDUSTRY_SECTIONS } from '../lib/industry';
import { formatDateTime, localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

const PAGE_SIZES = [10, 20, 50, 100];
// The fields the incubatees service sorts by (anything else answers 422 bad_sort).
const SORTABLE = ['name', 'created_at', 'industry'];

/** readCompanyQuery turns the URL into the list query, so reloads and links keep filters. */
export function readCompanyQuery(sp: URLSearchParams): Required<Pick<CompanyQuery, 'page' | 'page_size'>> & CompanyQuery {
  const int = (v: string | null, d: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : d;
  };
  return {
    page: int(sp.get('page'), 1),
    page_size: int(sp.get('page_size'), 20),
    q: sp.get('q') ?? undefined,
    industry: sp.get('industry') ?? undefined,
    sort: sp.get('sort') ?? undefined,
  };
}

/**
 * CompaniesPage lists a region's companies for district and park staff; the
 * server decides which ones each may see (district roles: all; park staff:
 * those linked to their carriers).
 */
export function CompaniesPage() {
  const { regionId = '' } = useParams();
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { me, regionId: current, setRegionId } = useSession();
  const [sp, setSp] = useSearchParams();
  const query = readCompanyQuery(sp);
  const assignments = me?.assignments ?? [];

  // Follow the region in the header only where the user may pick it there.
  const pickable = isPlatformAdmin(assignments) || regionsOf(assignments).some((r) => r.id === regionId);
  useEffect(() => {
    if (regionId && pickable && regionId !== current) setRegionId(regionId);
  }, [regionId, pickable, current, setRegionId]);

  const { data, error, loading, reload } = useAsync(
    (signal) => listRegionCompanies(regionId, query, signal),
    [regionId, query.page, query.page_size, query.q, query.industry, query.sort],
  );

  const update = (patch: Partial<Record<keyof CompanyQuery, string | number | undefined>>, resetPage = true) => {
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

  const columns: TableProps<Company>['columns'] = [
    {
      title: t('company.name'),
      key: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (_: unknown, c) => (
        <Link to={`/companies/${c.id}`} data-testid="company-link">
          {localizedName(lang, c)}
        </Link>
      ),
    },
    {
      title: t('company.key'),
      key: 'key',
      render: (_: unknown, c) => <CompanyKey company={c} />,
    },
    {
      title: t('company.industry'),
      key: 'industry',
      sorter: true,
      sortOrder: sortOrder('industry'),
      render: (_: unknown, c) => <IndustryText code={c.industry_code} />,
    },
    {
      title: t('company.techField'),
      dataIndex: 'tech_field',
      key: 'tech_field',
      responsive: ['lg'],
      render: (v: string) => v || '—',
    },
    {
      title: t('company.foundedOn'),
      dataIndex: 'founded_on',
      key: 'founded_on',
      responsive: ['md'],
      render: (v: string) => v || '—',
    },
    {
      title: t('company.createdAt'),
      dataIndex: 'created_at',
      key: 'created_at',
      sorter: true,
      sortOrder: sortOrder('created_at'),
      responsive: ['xl'],
      render: (v: string) => formatDateTime(v),
    },
  ];

  const onChange: TableProps<Company>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Company>;
      const field = typeof s.columnKey === 'string' && SORTABLE.includes(s.columnKey) ? s.columnKey : undefined;
      update({ sort: field && s.order ? (s.order === 'descend' ? `-${field}` : field) : undefined });
      return;
    }
    update({ page: pagination.current, page_size: pagination.pageSize }, false);
  };

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('companies.title')}</Typography.Title>}>
      <div className="page-toolbar">
        <Input.Search
          className="grow"
          allowClear
          defaultValue={query.q}
          key={query.q ?? ''}
          placeholder={t('companies.searchPlaceholder')}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          data-testid="companies-search"
          aria-label={t('companies.searchPlaceholder')}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 240, maxWidth: '100%' }}
          placeholder={t('companies.filterIndustry')}
          value={query.industry}
          onChange={(v?: string) => update({ industry: v })}
          options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: `${s} · ${labels.industry(s)}` }))}
          data-testid="companies-industry-filter"
          aria-label={t('companies.filterIndustry')}
        />
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Company>
        data-testid="companies-table"
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
