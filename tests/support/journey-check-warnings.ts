/**
 * The warnings of goal-checks.ts, core/channels/sms-text-checks.ts and
 * core/experiment/untracked-split-checks.ts, which most small flows in the tests draw (an SMS
 * reading "hi", no exitOn goal, a split without experiment). Tests of other checks leave them out,
 * as they leave out the payment-reminder stop; tests/unit/flow-journey-checks.test.ts pins them.
 */
export const isJourneyCheckWarning = (p: { message: string }): boolean =>
  /^this journey has no conversion goal|^this SMS has no signature|^this marketing SMS does not say how to unsubscribe|^this split is not an experiment/.test(p.message);
