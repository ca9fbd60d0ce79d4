import { describe, expect, it } from 'vitest';
import type { ObligationCompliance } from '../model/compliance.js';
import { isoDate } from '../model/dates.js';
import { approachingDeadlines, deadlineEvent } from './deadline-alerts.js';

const obligation = (over: Partial<ObligationCompliance> = {}): ObligationCompliance =>
  ({
    stateId: 'FRA', iso3: 'FRA', kind: 'annual', article: '13(3)', coveredYear: 2025, windowOpens: '2026-01-01', dueDate: '2026-05-31',
    graceEndsOn: '2026-06-07', deadlineTimeZone: 'Europe/Zurich', calendarStatus: 'due', status: 'due', daysLate: null,
    submission: null, entryIds: [], reason: '', ...over,
  }) as ObligationCompliance;

describe('approaching deadlines', () => {
  it('announces an annual report due within 30 days with nothing received, at the smallest threshold reached', () => {
    const [found] = approachingDeadlines([obligation()], isoDate('2026-05-26'), [30, 7]);
    expect(found).toMatchObject({ daysLeft: 5, threshold: 7, covered: [7, 30] });
    expect(approachingDeadlines([obligation()], isoDate('2026-05-01'), [30, 7])[0]).toMatchObject({ daysLeft: 30, threshold: 30, covered: [30] });
  });

  it('says nothing when a report was received, the deadline is further off, or it has passed', () => {
    expect(approachingDeadlines([obligation({ status: 'on_time', entryIds: ['x'] })], isoDate('2026-05-26'), [30])).toEqual([]);
    expect(approachingDeadlines([obligation()], isoDate('2026-04-30'), [30])).toEqual([]);
    expect(approachingDeadlines([obligation({ status: 'deadline_passed' })], isoDate('2026-06-02'), [30])).toEqual([]);
  });

  it('makes a public event naming the State and the report', () => {
    const [found] = approachingDeadlines([obligation()], isoDate('2026-05-30'), [30]);
    const event = deadlineEvent(found!, 'France', '2026-05-30T08:00:00.000Z');
    expect(event).toMatchObject({ kind: 'deadline_approaching', audience: 'public', stateId: 'FRA', subject: 'deadline:FRA:annual:2025:30', link: '/states/FRA' });
    expect(event.title).toBe('France: annual report on 2025 (ATT Art. 13(3)) due 2026-05-31, 1 day left');
  });
});
