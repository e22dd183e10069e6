// The case lifecycle of DESIGN.md: which status may follow which (server and desk agree). Closing needs an outcome;
// reopening a closed case needs a reason; purging is the retention job's, never a person's.
import type { CaseStatus } from './taxonomy.ts';

export const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  received: ['triaged', 'acknowledged', 'closed'],
  triaged: ['acknowledged', 'in_progress', 'referred', 'closed'],
  acknowledged: ['in_progress', 'referred', 'closed'],
  in_progress: ['referred', 'closed'],
  referred: ['in_progress', 'closed'],
  // Reopening: until the case is purged, with a reason from REOPEN_REASONS.
  closed: ['in_progress'],
  purged: [],
};

export function canMove(from: string, to: string): boolean {
  return (TRANSITIONS[from as CaseStatus] ?? []).includes(to as CaseStatus);
}

/** A move out of `closed` is a reopening: it must say why. */
export function isReopening(from: string, to: string): boolean {
  return from === 'closed' && canMove(from, to);
}
