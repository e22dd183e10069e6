// The case lifecycle of DESIGN.md: which status may follow which (server and desk agree). Closing needs an outcome;
// purging is the retention job's, never a person's.
import type { CaseStatus } from './taxonomy.ts';

export const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  received: ['triaged', 'closed'],
  triaged: ['acknowledged', 'in_progress', 'referred', 'closed'],
  acknowledged: ['in_progress', 'referred', 'closed'],
  in_progress: ['referred', 'closed'],
  referred: ['in_progress', 'closed'],
  closed: [],
  purged: [],
};

export function canMove(from: string, to: string): boolean {
  return (TRANSITIONS[from as CaseStatus] ?? []).includes(to as CaseStatus);
}
