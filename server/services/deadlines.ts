// Case deadlines (DESIGN.md lifecycle). Submission times are stored to the day only, so every
// deadline counts from the start of that day (UTC): never later than the real one.
export const DEADLINES = {
  triageUrgentHours: 24,
  triageHours: 72,
  acknowledgeDays: 7,
} as const;

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function caseDeadlines(receivedOn: string, urgent: boolean): { triageDue: string; acknowledgeDue: string } {
  const start = Date.parse(`${receivedOn}T00:00:00Z`);
  const hours = urgent ? DEADLINES.triageUrgentHours : DEADLINES.triageHours;
  return {
    triageDue: new Date(start + hours * 3_600_000).toISOString(),
    acknowledgeDue: new Date(start + DEADLINES.acknowledgeDays * 86_400_000).toISOString(),
  };
}
