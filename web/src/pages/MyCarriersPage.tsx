import { Card, Space, Table, Typography, type TableProps } from 'antd';
import { Link } from 'react-router';
import { getCarrier, type Carrier } from '../api/carriers';
import { carriersOf, type ScopeOption } from '../auth/roles';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { KindTag, RoleTag, StatusTag } from '../components/Tags';
import { useI18n } from '../i18n';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

interface Row extends ScopeOption {
  carrier?: Carrier;
}

/**
 * MyCarriersPage lists the carriers a park admin or operator works in. The list
 * comes from their assignments; each carrier's details are fetched to show kind
 * and status.
 */
export function MyCarriersPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const mine = carriersOf(me?.assignments ?? []);
  const ids = mine.map((c) => c.id).join(',');

  const { data, error, loading, reload } = useAsync(async (signal) => {
    const details = await Promise.allSettled(mine.map((c) => getCarrier(c.id, signal)));
    return mine.map<Row>((c, i) => {
      const d = details[i];
      return { ...c, carrier: d.status === 'fulfilled' ? d.value : undefined };
    });
  }, [ids]);

  const columns: TableProps<Row>['columns'] = [
    {
      title: t('carrier.name'),
      key: 'name',
      render: (_: unknown, r) => (
        <Link to={`/carriers/${r.id}`} data-testid="carrier-link">
          {localizedName(lang, r.carrier ?? r) || r.id}
        </Link>
      ),
    },
    {
      title: t('carrier.kind'),
      key: 'kind',
      render: (_: unknown, r) => (r.carrier ? <KindTag kind={r.carrier.kind} /> : '—'),
    },
    {
      title: t('carrier.status'),
      key: 'status',
      render: (_: unknown, r) => (r.carrier ? <StatusTag status={r.carrier.status} /> : '—'),
    },
    {
      title: t('members.roles'),
      key: 'roles',
      render: (_: unknown, r) => (
        <Space size={[0, 4]} wrap>
          {r.roles.map((role) => (
            <RoleTag key={role} role={role} />
          ))}
        </Space>
      ),
    },
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('myCarriers.title')}</Typography.Title>}>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Row>
        data-testid="carriers-table"
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={data ?? mine}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
