// Rules for names people type (organisations, teams, emails): no bidirectional embedding,
// override or isolate controls, which can make a name display as something else ("evil" shown as
// "live") in an audit log, a team list or an invitation.

/** U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;

export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROLS.test(text);
}
