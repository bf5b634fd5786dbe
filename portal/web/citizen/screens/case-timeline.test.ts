import { describe, expect, it } from 'vitest';
import { CaseStatus } from '../../../../common/contract/cases-api.js';
import { concludedCase, sampleCase } from '../testing/citizen-fixtures.js';
import { StepState, timelineSteps } from './case-timeline.js';

const shape = (steps: ReturnType<typeof timelineSteps>) => steps.map((s) => `${s.status}:${s.state}`);

describe('case timeline', () => {
  it('shows what happened, the last step current, then the normal path still ahead', () => {
    expect(shape(timelineSteps(sampleCase()))).toEqual(['accepted:done', 'processing:current', 'concluded:pending', 'ready-for-pickup:pending', 'picked-up:pending']);
    expect(shape(timelineSteps(concludedCase()))).toEqual(['accepted:done', 'processing:done', 'concluded:current', 'ready-for-pickup:pending', 'picked-up:pending']);
  });

  it('ends at 不予受理 or 已取件 with nothing ahead', () => {
    const rejected = sampleCase({
      status: CaseStatus.Rejected,
      timeline: [
        { status: CaseStatus.Accepted, at: '2025-03-10T02:10:00.000Z', note: null },
        { status: CaseStatus.Rejected, at: '2025-03-10T02:20:00.000Z', note: '材料不全' },
      ],
    });
    expect(shape(timelineSteps(rejected))).toEqual(['accepted:done', 'rejected:current']);
    expect(timelineSteps(rejected).at(-1)?.note).toBe('材料不全');
    const picked = sampleCase({ status: CaseStatus.PickedUp, timeline: [{ status: CaseStatus.PickedUp, at: '2025-03-10T02:10:00.000Z', note: null }] });
    expect(shape(timelineSteps(picked))).toEqual(['picked-up:current']);
  });

  it('still shows the current status when the timeline lags behind it', () => {
    const steps = timelineSteps(sampleCase({ status: CaseStatus.Concluded, timeline: [{ status: CaseStatus.Accepted, at: '2025-03-10T02:10:00.000Z', note: null }] }));
    expect(shape(steps)).toEqual(['accepted:done', 'concluded:current', 'ready-for-pickup:pending', 'picked-up:pending']);
    expect(steps[1]?.state).toBe(StepState.Current);
    expect(steps[1]?.at).toBeNull();
  });
});
