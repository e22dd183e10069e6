// Reading cases back: the clear fields of a stored case, exactly as they were bound into its
// envelope's associated data (the desk needs them to open it).
import type { cases } from '../../db/schema.ts';
import type { ReportClear } from '../../protocol/api.ts';

export type CaseRow = typeof cases.$inferSelect;

export function caseClearFields(row: CaseRow): ReportClear {
  return {
    taxonomy: row.taxonomy as ReportClear['taxonomy'],
    category: row.category,
    systemType: row.systemType as ReportClear['systemType'],
    country: row.country,
    language: row.language,
    role: row.role as ReportClear['role'],
    incidentMonth: row.incidentMonth,
    urgent: row.urgent,
    child: row.child,
    consentReferral: row.consentReferral,
    consentShareData: row.consentShareData,
  };
}
