// Reading cases back: the clear fields of a stored case, exactly as they were bound into its
// envelope's associated data (the desk needs them to open it).
import type { cases } from '../../db/schema.ts';
import type { ReportClear } from '../../protocol/api.ts';
import { reportBinding, reportBindingV2, type ClearFields } from '../../protocol/envelope.ts';

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

/** The bound object a stored report was sealed with: v1 (§3.5) or, with the reporter's keys, v2 (§28.3). */
export function caseBinding(row: CaseRow): ClearFields {
  const clear = caseClearFields(row);
  return row.reporterSigningKey === null
    ? reportBinding(clear, row.reporterPublicKey)
    : reportBindingV2(clear, { reporterPublicKey: row.reporterPublicKey, reporterSigningKey: row.reporterSigningKey, teamVerifyKey: row.teamVerifyKey });
}
