import {
  AppstoreOutlined,
  BankOutlined,
  ClusterOutlined,
  DashboardOutlined,
  FileTextOutlined,
  GlobalOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  ShopOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, type MenuProps } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { menuFor, type MenuEntry } from '../auth/roles';
import { useSession } from '../auth/session';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotificationBell } from '../components/notifications/NotificationBell';
import { useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { IncomingPromotionsBadge } from '../pages/operator/IncomingPromotionsPage';
import { ScopeSwitcher } from './ScopeSwitcher';

const ICONS: Record<MenuEntry['icon'], ReactNode> = {
  regions: <GlobalOutlined />,
  dashboard: <DashboardOutlined />,
  carriers: <BankOutlined />,
  companies: <ClusterOutlined />,
  company: <ShopOutlined />,
  documents: <FileTextOutlined />,
};

/** selectedKey maps the current path onto the menu entry it belongs to. */
export function selectedKey(pathname: string): string | undefined {
  if (/^\/regions\/[^/]+\/overview/.test(pathname)) return 'rollups';
  if (/^\/carriers\/[^/]+\/overview/.test(pathname)) return 'rollups-park';
  // The incubation-flow pages first: they live under /carriers/:id and /company/:id too.
  const op = /^\/carriers\/[^/]+\/(intake|applications|incoming-promotions|documents|residents|reports)/.exec(pathname);
  if (op) return op[1] === 'incoming-promotions' ? 'op-incoming' : `op-${op[1]}`;
  if (/^\/applications\//.test(pathname)) return 'op-applications';
  if (/^\/residencies\//.test(pathname)) return 'op-residents';
  const st = /^\/company\/[^/]+\/(calls|applications|reports|ladder|chain)/.exec(pathname);
  if (st) return `startup-${st[1]}`;
  if (/^\/regions\/?$/.test(pathname)) return 'regions';
  if (/^\/regions\/[^/]+\/dashboard/.test(pathname)) return 'dashboard';
  if (/^\/regions\/[^/]+\/documents/.test(pathname)) return 'documents';
  if (/^\/regions\/[^/]+\/carriers/.test(pathname) || pathname.startsWith('/carriers/') || pathname.startsWith('/my/carriers'))
    return 'carriers';
  if (/^\/regions\/[^/]+\/companies/.test(pathname) || /^\/companies(\/|$)/.test(pathname)) return 'companies';
  if (/^\/company(\/|$)/.test(pathname)) return 'company';
  return undefined;
}

export function AppLayout() {
  const { me, regionId, logout } = useSession();
  const { t } = useI18n();
  const labels = useLabels();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  // Before the first measurement useBreakpoint is empty; treat that as desktop.
  const mobile = screens.lg === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  useEffect(() => {
    setDrawerOpen(false);
  }, [location.pathname]);

  const assignments = me?.assignments ?? [];
  const entries = useMemo(() => menuFor(assignments, regionId), [assignments, regionId]);
  const items: MenuProps['items'] = entries.map((e) => ({
    key: e.key,
    icon: ICONS[e.icon],
    label: (
      <Link to={e.path} data-testid={e.testId}>
        {t(e.labelKey)}
        {e.badge ? <IncomingPromotionsBadge carrierId={e.badge.carrierId} /> : null}
      </Link>
    ),
  }));
  const key = selectedKey(location.pathname);

  const menu = <Menu theme="dark" mode="inline" selectedKeys={key ? [key] : []} items={items} data-testid="side-menu" />;
  const logo = (
    <div className="app-logo">
      <AppstoreOutlined style={{ marginRight: 8 }} />
      {!collapsed || mobile ? t('app.name') : null}
    </div>
  );

  const roles = [...new Set(assignments.map((a) => a.role))];
  const userMenu: MenuProps = {
    items: [
      { key: 'email', label: me?.user.email, disabled: true },
      ...(roles.length > 0 ? [{ key: 'roles', label: roles.map((r) => labels.role(r)).join(' · '), disabled: true }] : []),
      { type: 'divider' as const },
      { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('user.logout')}</span> },
    ],
    onClick: async ({ key: k }) => {
      if (k === 'logout') {
        try {
          await logout();
        } finally {
          navigate('/login', { replace: true });
        }
      }
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {mobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {logo}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} trigger={null} width={220}>
          {logo}
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="app-header">
          <Button
            type="text"
            aria-label={t('nav.toggleMenu')}
            data-testid="menu-toggle"
            icon={mobile ? <MenuUnfoldOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => (mobile ? setDrawerOpen(true) : setCollapsed(!collapsed))}
          />
          <ScopeSwitcher />
          <div className="spacer" />
          <NotificationBell />
          <LanguageSwitch />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} />
              <span className="user-name">{me?.user.display_name || me?.user.email}</span>
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
