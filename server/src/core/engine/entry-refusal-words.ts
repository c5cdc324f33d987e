/**
 * Why candidates were kept out at entry, in words, from the reason keys the engine counts
 * (journey-engine.ts planEnrollment, entry-policy.ts): `simulate` printed "reentry-never 3285786",
 * a key and a number nobody could read. The count is of refusals: a schedule checks its segment
 * again at every run, so a customer kept out at each run counts once a run.
 */
export function entryRefusalWords(reason: string): string {
  const after = /^reentry-after-(\d+)d$/.exec(reason);
  if (after) return `had entered within the last ${after[1]} days (re-entry only after ${after[1]} days)`;
  switch (reason) {
    case 'reentry-never':
      return 'had been in this journey before, and it lets nobody in twice (re-entry: never)';
    case 'already-in-journey':
      return 'were still in a journey of this flow, which is never started twice at once';
    case 'group-full':
      return "found the entry's group-size limit full";
    case 'event-too-old':
      return "came with an event older than the trigger's maxAge";
    case 'key-missing':
      return "came with an event without the trigger's key (e.g. no orderId), so no journey of theirs could be ended by its exit events";
    case 'segment-unusable':
      return "came while the trigger's segment could not be used (its file renamed or deleted, or broken)";
    default:
      return `kept out for "${reason}"`;
  }
}

/** What one flow's refusals count: refusals per event, or per entry run of a schedule or audience. */
export function refusalCountWords(trigger: string, runs: number): string {
  if (trigger.startsWith('event:')) return `refusals, one per ${trigger.slice('event:'.length)} event`;
  return `refusals over ${runs.toLocaleString('en-US')} entry run(s): the segment is checked again at every run, so a customer kept out at each run counts once a run`;
}
