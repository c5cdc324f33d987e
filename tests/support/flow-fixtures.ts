/**
 * Flow files several tests write into their rules folder, kept once (the `duplicates` tool found
 * them copied between tests/e2e/times-of-day-everywhere and walkthrough-nine-browser, and the A/B
 * shape between experiment-report and walkthrough-nine-browser).
 */

/** A daily 22:00 SMS whose 2 h expiry ends inside quiet hours: every message would be skipped (a validate error). */
export const NIGHT_SMS = `id: night-sms
name: 夜里的短信
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: sleeping-reactivation-candidates, every: day, at: '22:00' }
    next: sms
  - id: sms
    type: send
    channel: sms
    template: 【示例旗舰店】好久不见 回T退订
    expiresAfter: 2h
    next: done
  - id: done
    type: exit
`;

export interface SmsHoldoutAb {
  id: string;
  name: string;
  experimentId: string;
  template: string;
  /** The arms' labels (sms, holdout); none: the arms go by their ids. */
  labels?: { sms: string; holdout: string };
  category?: 'marketing' | 'transactional';
  /** Cost per message (the report's cost and ROI columns). */
  cost?: number;
}

/**
 * A visit starts a 50/50 split: an SMS arm and a holdout that gets nothing; the experiment counts
 * paid orders within 7 days. Each test names its own flow and sets what it looks at (labels in the
 * designer, the cost in the report).
 */
export function smsHoldoutAbFlow(o: SmsHoldoutAb): string {
  const label = (arm: 'sms' | 'holdout') => (o.labels ? `label: ${o.labels[arm]}, ` : '');
  return `id: ${o.id}
name: ${o.name}
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: visit }
    next: split
  - id: split
    type: split
    experiment: { id: ${o.experimentId}, window: 7d, responses: [{ event: order_paid }] }
    arms:
      - { id: sms, ${label('sms')}weight: 50, next: send }
      - { id: holdout, ${label('holdout')}weight: 50, holdout: true, next: done }
  - id: send
    type: send
    channel: sms
${o.category ? `    category: ${o.category}\n` : ''}    template: ${o.template}
${o.cost !== undefined ? `    cost: ${o.cost}\n` : ''}    next: done
  - id: done
    type: exit
`;
}
