import { createContext, useContext, type ReactNode } from 'react';
import type { RollupFilters, RollupTable } from '../../api/rollups';
import { useI18n } from '../../i18n';

/** DrillSpec names the rows behind one number: the table, its selector and any narrower filter. */
export interface DrillSpec {
  table: RollupTable;
  measure?: string;
  step?: string;
  /** what the drawer is titled with (the number's label) */
  title: string;
  /** filters that narrow the page's own (a carrier's row, a trend's quarter) */
  filters?: RollupFilters;
  /** a search the rows open with (one company of a list) */
  q?: string;
}

export const DrillContext = createContext<(spec: DrillSpec) => void>(() => undefined);

export const useDrill = () => useContext(DrillContext);

/**
 * DrillNumber is a figure that opens the rows it is made of: a link-styled
 * button, so it is reachable by keyboard and says what it opens.
 */
export function DrillNumber({ spec, children, testId }: { spec: DrillSpec; children: ReactNode; testId: string }) {
  const open = useDrill();
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="rollup-number"
      data-testid={testId}
      title={`${t('r.kpi.open')}: ${spec.title}`}
      onClick={(e) => {
        e.stopPropagation();
        open(spec);
      }}
    >
      {children}
    </button>
  );
}
