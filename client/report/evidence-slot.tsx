// Where the evidence parts (client/evidence/report-parts.tsx) appear in the form: each slot loads
// that chunk on first use and renders nothing until it has arrived.
import type { ComponentProps } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type Parts = typeof import('../evidence/report-parts.tsx');
let loading: Promise<Parts> | undefined;
export const loadEvidence = () => (loading ??= import('../evidence/report-parts.tsx'));

type PartName = 'AttachmentsPanel' | 'AttachedList' | 'SavedStatus' | 'OutboxBanner' | 'ReplyFiles' | 'MessageFilesPart';

export function EvidenceSlot<N extends PartName>({ part, ...props }: { part: N } & ComponentProps<Parts[N]>) {
  const [parts, setParts] = useState<Parts | null>(null);
  useEffect(() => { void loadEvidence().then(setParts); }, []);
  if (!parts) return null;
  const Part = parts[part] as (p: typeof props) => preact.JSX.Element | null;
  return <Part {...props} />;
}
