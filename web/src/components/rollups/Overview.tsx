import { Col, Row, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { CarrierTable } from './CarrierTable';
import { ConflictsCard } from './ConflictsCard';
import { DrillContext, type DrillSpec } from './drill';
import { FilterBar } from './FilterBar';
import { useRollupFilters, withoutCarrier } from './filters';
import { FunnelCard } from './FunnelCard';
import { KpiCards } from './KpiCards';
import { LadderCard } from './LadderCard';
import { MilestonesCard } from './MilestonesCard';
import { choiceOf, endQuarter, lastQuarters, periodFilters, previousChoice } from './period';
import { ReportsCard } from './ReportsCard';
import { RowsDrawer } from './RowsDrawer';
import { TrendsCard } from './TrendsCard';

/**
 * Overview is the rollups dashboard of a region, or of one carrier of it
 * (`carrierId`: park staff, who see the region's totals beside their own
 * figures and only their own rows). The filters live in the URL; every number
 * opens its rows in a drawer.
 */
export function Overview({ regionId, carrierId, title }: { regionId: string; carrierId?: string; title: ReactNode }) {
  const { t } = useI18n();
  const [urlFilters, setFilters] = useRollupFilters();
  const [drill, setDrill] = useState<DrillSpec | undefined>();

  const filters = useMemo(() => (carrierId ? { ...urlFilters, carrier_id: carrierId } : urlFilters), [urlFilters, carrierId]);
  const choice = choiceOf(filters);
  const prevChoice = previousChoice(choice);
  const previous = useMemo(() => ({ ...filters, period: undefined, as_of: undefined, ...periodFilters(prevChoice) }), [filters, prevChoice.value]);
  const region = useMemo(() => (carrierId ? withoutCarrier(filters) : undefined), [filters, carrierId]);
  const quarters = useMemo(() => lastQuarters(endQuarter(choice)), [choice.mode, choice.value]);
  const trendFilters = useMemo(() => {
    const { period: _p, as_of: _a, ...rest } = filters;
    void _p;
    void _a;
    return rest;
  }, [filters]);

  return (
    <DrillContext.Provider value={setDrill}>
      <div className="rollup-overview" data-testid="rollup-overview">
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="rollup-title">
          {title}
        </Typography.Title>
        {carrierId ? (
          <Typography.Paragraph type="secondary" data-testid="park-scope">
            {t('r.parkScope')}
          </Typography.Paragraph>
        ) : null}
        <FilterBar regionId={regionId} value={urlFilters} onChange={setFilters} carrierFixed={!!carrierId} />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('r.eventual')}
        </Typography.Paragraph>
        <KpiCards regionId={regionId} filters={filters} previous={previous} previousLabel={prevChoice.value} region={region} />
        <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
          <Col xs={24} xl={12}>
            <FunnelCard regionId={regionId} filters={filters} />
          </Col>
          <Col xs={24} xl={12}>
            <LadderCard regionId={regionId} filters={filters} />
          </Col>
          <Col xs={24}>
            <TrendsCard regionId={regionId} filters={trendFilters} quarters={quarters} />
          </Col>
          <Col xs={24}>
            <ReportsCard regionId={regionId} filters={filters} />
          </Col>
          <Col xs={24}>
            <CarrierTable regionId={regionId} filters={filters} />
          </Col>
          <Col xs={24}>
            <MilestonesCard regionId={regionId} filters={filters} />
          </Col>
          <Col xs={24}>
            <ConflictsCard regionId={regionId} filters={filters} />
          </Col>
        </Row>
      </div>
      <RowsDrawer regionId={regionId} filters={filters} spec={drill} onClose={() => setDrill(undefined)} />
    </DrillContext.Provider>
  );
}
