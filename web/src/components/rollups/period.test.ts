import { describe, expect, it } from 'vitest';
import { narrow, withoutCarrier } from './filters';
import { choiceOf, endQuarter, lastQuarters, periodFilters, previousChoice, shiftQuarter } from './period';

describe('periods', () => {
  it('reads the period of the filters', () => {
    expect(choiceOf({ period: '2026-Q3' })).toEqual({ mode: 'quarter', value: '2026-Q3' });
    expect(choiceOf({ period: '2026' })).toEqual({ mode: 'year', value: '2026' });
    expect(choiceOf({ as_of: '2026-08-15' })).toEqual({ mode: 'as_of', value: '2026-08-15' });
    expect(choiceOf({})).toEqual({ mode: 'ytd', value: '' });
    expect(choiceOf({ period: 'Q3' })).toEqual({ mode: 'ytd', value: '' });
  });

  it('writes a choice back as one parameter', () => {
    expect(periodFilters({ mode: 'quarter', value: '2026-Q1' })).toEqual({ period: '2026-Q1' });
    expect(periodFilters({ mode: 'as_of', value: '2026-02-01' })).toEqual({ as_of: '2026-02-01' });
    expect(periodFilters({ mode: 'ytd', value: '' })).toEqual({});
  });

  it('steps quarters across years', () => {
    expect(shiftQuarter('2026-Q1', -1)).toBe('2025-Q4');
    expect(shiftQuarter('2025-Q4', 1)).toBe('2026-Q1');
    expect(lastQuarters('2026-Q3')).toEqual(['2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
  });

  it('compares with the period before', () => {
    const today = new Date(2026, 11, 6);
    expect(previousChoice({ mode: 'quarter', value: '2026-Q1' })).toEqual({ mode: 'quarter', value: '2025-Q4' });
    expect(previousChoice({ mode: 'year', value: '2026' })).toEqual({ mode: 'year', value: '2025' });
    expect(previousChoice({ mode: 'as_of', value: '2028-02-29' })).toEqual({ mode: 'as_of', value: '2027-02-28' });
    // The year to date against the same days of the year before.
    expect(previousChoice({ mode: 'ytd', value: '' }, today)).toEqual({ mode: 'as_of', value: '2025-12-06' });
  });

  it('ends the trend with the chosen period', () => {
    const today = new Date(2026, 4, 10);
    expect(endQuarter({ mode: 'year', value: '2025' }, today)).toBe('2025-Q4');
    expect(endQuarter({ mode: 'as_of', value: '2026-08-15' }, today)).toBe('2026-Q3');
    expect(endQuarter({ mode: 'ytd', value: '' }, today)).toBe('2026-Q2');
  });

  it('lays a number\'s own period over the page\'s, never both', () => {
    expect(narrow({ as_of: '2026-08-15', industry: 'I' }, { period: '2026-Q1' })).toEqual({ period: '2026-Q1', industry: 'I' });
    expect(narrow({ period: '2026', industry: 'I' }, { carrier_id: 'C1' })).toEqual({ period: '2026', industry: 'I', carrier_id: 'C1' });
    expect(withoutCarrier({ carrier_id: 'C1', period: '2026' })).toEqual({ period: '2026' });
  });
});
