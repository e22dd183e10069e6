// Size limits shared by the form, the server and the published intake document.
export const LIMITS = {
  /** Largest JSON body for POST /api/reports. */
  maxReportBodyBytes: 128 * 1024,
  /** Largest ciphertext, base64url characters. */
  maxCiphertextChars: 100_000,
  /** Narrative length the form allows (characters). */
  maxNarrativeChars: 20_000,
  maxContactChars: 300,
  maxPlaceChars: 300,
} as const;
