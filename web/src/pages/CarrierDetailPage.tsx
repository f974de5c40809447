import { EditOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Skeleton, Space, Tabs, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { getCarrier } from '../api/carriers';
import { canManageCarrier, isPlatformAdmin, regionsOf } from '../auth/roles';
import { useSession } from '../auth/session';
import { CarrierLinks } from '../components/CarrierLinks';
import { LoadFailure } from '../components/ErrorAlert';
import { IndustryList, KindTag, StatusTag } from '../components/Tags';
import { useI18n } from '../i18n';
import { formatDateTime, localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { InvitationsTab } from './InvitationsTab';
import { MembersTab } from './MembersTab';

const TABS = ['overview', 'members', 'invitations'] as const;
type TabKey = (typeof TABS)[number];

export function CarrierDetailPage() {
  const { carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const { me, setRegionId } = useSession();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const assignments = me?.assignments ?? [];
  const tabParam = sp.get('tab');
  const requested: TabKey = TABS.includes(tabParam as TabKey) ? (tabParam as TabKey) : 'overview';

  const { data: carrier, error, loading, reload } = useAsync((signal) => getCarrier(carrierId, signal), [carrierId]);

  const regionVisible =
    !!carrier && (isPlatformAdmin(assignments) || regionsOf(assignments).some((r) => r.id === carrier.region_id));
  useEffect(() => {
    if (carrier && regionVisible) setRegionId(carrier.region_id);
  }, [carrier, regionVisible, setRegionId]);

  if (error) return <LoadFailure error={error} onRetry={reload} />;
  if (loading && !carrier) return <Card><Skeleton active /></Card>;
  if (!carrier) return null;

  const canManage = canManageCarrier(assignments, carrier.id, carrier.region_id);
  // Invitations are the carrier's admins' (and the district admin's) business: a
  // read-only officer or a park operator would only meet "no permission" there,
  // so the tab is not shown to them at all.
  const tab: TabKey = requested === 'invitations' && !canManage ? 'overview' : requested;
  const listPath = regionVisible ? `/regions/${carrier.region_id}/carriers` : '/my/carriers';

  const overview = (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} data-testid="carrier-descriptions">
      <Descriptions.Item label={t('carrier.nameZh')}>{carrier.name_zh}</Descriptions.Item>
      <Descriptions.Item label={t('carrier.nameEn')}>{carrier.name_en || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('carrier.kind')}>
        <KindTag kind={carrier.kind} />
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.chainOrder')}>
        {carrier.chain_order > 0 ? carrier.chain_order : t('carrier.offChain')}
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.status')}>
        <StatusTag status={carrier.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.capacity')}>{carrier.capacity ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('carrier.areaM2')}>
        {typeof carrier.area_m2 === 'number' ? carrier.area_m2.toLocaleString(lang) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.focusIndustries')}>
        <IndustryList codes={carrier.focus_industries} />
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.address')} span="filled">
        {carrier.address || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.links')} span="filled">
        <CarrierLinks carrierId={carrier.id} />
      </Descriptions.Item>
      <Descriptions.Item label={t('carrier.createdAt')}>{formatDateTime(carrier.created_at)}</Descriptions.Item>
      <Descriptions.Item label={t('carrier.updatedAt')}>{formatDateTime(carrier.updated_at)}</Descriptions.Item>
    </Descriptions>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to={listPath}>{regionVisible ? t('menu.carriers') : t('menu.myCarriers')}</Link> },
          { title: localizedName(lang, carrier) },
        ]}
      />
      <Card
        title={
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="carrier-title">
              {localizedName(lang, carrier)}
            </Typography.Title>
            <KindTag kind={carrier.kind} />
            <StatusTag status={carrier.status} />
          </Space>
        }
        extra={
          canManage ? (
            <Button icon={<EditOutlined />} data-testid="carrier-edit" onClick={() => navigate(`/carriers/${carrier.id}/edit`)}>
              {t('common.edit')}
            </Button>
          ) : undefined
        }
      >
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            const next = new URLSearchParams(sp);
            if (k === 'overview') next.delete('tab');
            else next.set('tab', k);
            setSp(next, { replace: true });
          }}
          destroyOnHidden
          items={[
            { key: 'overview', label: <span data-testid="tab-overview">{t('carrier.tabOverview')}</span>, children: overview },
            {
              key: 'members',
              label: <span data-testid="tab-members">{t('carrier.tabMembers')}</span>,
              children: <MembersTab carrierId={carrier.id} canManage={canManage} />,
            },
            ...(canManage
              ? [
                  {
                    key: 'invitations',
                    label: <span data-testid="tab-invitations">{t('carrier.tabInvitations')}</span>,
                    children: <InvitationsTab carrierId={carrier.id} canManage={canManage} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
