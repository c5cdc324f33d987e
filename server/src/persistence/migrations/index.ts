import { Foundation1732300000000 } from './1732300000000-foundation.js';
import { Journeys1732400000000 } from './1732400000000-journeys.js';
import { Policy1732500000000 } from './1732500000000-policy.js';
import { Experiments1732600000000 } from './1732600000000-experiments.js';
import { EventInbox1764400000000 } from './1764400000000-event-inbox.js';
import { Accounts1764410000000 } from './1764410000000-accounts.js';
import { LimitCounters1764500000000 } from './1764500000000-limit-counters.js';
import { Coupons1764600000000 } from './1764600000000-coupons.js';
import { Predictions1764700000000 } from './1764700000000-predictions.js';
import { FlowDrafts1764800000000 } from './1764800000000-flow-drafts.js';
import { DraftRevision1765000800000 } from './1765000800000-draft-revision.js';
import { Double11Orders1764900000000 } from './1764900000000-double11-orders.js';
import { SteppingIndexes1764990000000 } from './1764990000000-stepping-indexes.js';
import { DueIndex1764991000000 } from './1764991000000-due-index.js';
import { OutboxDueIndex1764995500000 } from './1764995500000-outbox-due-index.js';
import { LogIndexTrim1764996600000 } from './1764996600000-log-index-trim.js';
import { JourneyDetails1764996700000 } from './1764996700000-journey-details.js';
import { EnrollmentIndexTrim1764997400000 } from './1764997400000-enrollment-index-trim.js';
import { EnrollmentFlowCustomerSqlite1764998500000 } from './1764998500000-enrollment-flow-customer-sqlite.js';
import { EnrollmentCustomerKeyIndex1764999300000 } from './1764999300000-enrollment-customer-key-index.js';
import { WaitingForText1765000300000 } from './1765000300000-waiting-for-text.js';
import { AuditTargetIndex1765001100000 } from './1765001100000-audit-target-index.js';
import { DecisionCodes1765001900000 } from './1765001900000-decision-codes.js';
import { SendClickedAt1765002100000 } from './1765002100000-send-clicked-at.js';
import { CouponVoided1765002300000 } from './1765002300000-coupon-voided.js';
import { DecisionCodesBackfill1765002530000 } from './1765002530000-decision-codes-backfill.js';

/** Migrations in order. Listed as classes (not a glob) so they load the same from ts-jest and dist/. */
export const MIGRATIONS = [Foundation1732300000000, Journeys1732400000000, Policy1732500000000, Experiments1732600000000, EventInbox1764400000000, Accounts1764410000000, LimitCounters1764500000000, Coupons1764600000000, Predictions1764700000000, FlowDrafts1764800000000, Double11Orders1764900000000, SteppingIndexes1764990000000, DueIndex1764991000000, OutboxDueIndex1764995500000, LogIndexTrim1764996600000, JourneyDetails1764996700000, EnrollmentIndexTrim1764997400000, EnrollmentFlowCustomerSqlite1764998500000, EnrollmentCustomerKeyIndex1764999300000, WaitingForText1765000300000, DraftRevision1765000800000, AuditTargetIndex1765001100000, DecisionCodes1765001900000, SendClickedAt1765002100000, CouponVoided1765002300000, DecisionCodesBackfill1765002530000];
