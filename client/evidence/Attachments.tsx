// Photos, documents and voice notes for a report or a reply: the limits shown before anything is
// chosen, each file's final size and a preview after cleaning, a choice to keep the original size,
// and a recorder. Files are cleaned and encrypted as soon as they are chosen (PROTOCOL.md §23).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttachmentLimits } from '../../protocol/evidence-api.ts';
import type { Translate } from '../../ui/i18n/index.ts';
import { formatBytes, formatClock } from './format.ts';
import { PrepareError, forget, prepareFile, type PreparedFile } from './prepare.ts';
import { canRecord, startRecording, type Recording } from './recorder.ts';
import './evidence.css';

interface Props {
  /** The page's translator with the evidence texts (useEvidenceTexts). */
  t: Translate;
  lang: string;
  limits: AttachmentLimits;
  files: PreparedFile[];
  onChange: (files: PreparedFile[]) => void;
  /** The badge text: encrypted on this phone. */
  sealedLabel: string;
}

const ACCEPT = 'image/*,audio/*,application/pdf,text/plain,.doc,.docx,.odt,.xls,.xlsx,.ods';

export function Attachments({ t, lang, limits, files, onChange, sealedLabel }: Props) {
  const [original, setOriginal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [recording, setRecording] = useState<{ rec: Recording; started: number } | null>(null);
  const [now, setNow] = useState(Date.now());
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(files);
  latest.current = files;
  const size = formatBytes(lang, limits.maxFileBytes);

  useEffect(() => {
    if (!recording) return;
    const tick = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(tick);
  }, [recording]);
  useEffect(() => () => recording?.rec.cancel(), [recording]);

  async function add(chosen: Blob[], voice = false) {
    setProblem('');
    setBusy(true);
    let next = latest.current;
    for (const file of chosen) {
      const total = next.reduce((n, f) => n + f.blob.size, 0);
      if (next.length >= limits.maxFiles) { setProblem(t('evidence:attach.tooMany', { files: limits.maxFiles })); break; }
      try {
        const kind = voice ? 'audio' : null;
        const n = next.filter((f) => (voice ? f.ref.name.startsWith('voice') : f.kind === 'image')).length + 1;
        const prepared = await prepareFile(file, { original, n, voice: kind === 'audio', limits });
        if (total + prepared.blob.size > limits.maxTotalBytes) {
          forget([prepared]);
          setProblem(t('evidence:attach.tooLargeTogether', { size: formatBytes(lang, limits.maxTotalBytes) }));
          break;
        }
        next = [...next, prepared];
        onChange(next);
      } catch (err) {
        const key = err instanceof PrepareError ? err.problem : 'cannotClean';
        setProblem(t(`evidence:attach.${key}`, { size }));
      }
    }
    setBusy(false);
  }

  function remove(file: PreparedFile) {
    forget([file]);
    onChange(files.filter((f) => f !== file));
  }

  async function toggleRecording() {
    setProblem('');
    if (recording) {
      setRecording(null);
      const note = await recording.rec.stop();
      if (note) await add([note], true);
      return;
    }
    try {
      const rec = await startRecording(() => void toggleRecording());
      setRecording({ rec, started: Date.now() });
      setNow(Date.now());
    } catch {
      setProblem(t('evidence:attach.noMicrophone'));
    }
  }

  return (
    <fieldset class="attachments" aria-describedby="attach-hint">
      <legend>{t('evidence:attach.title')} <span class="badge sealed">{sealedLabel}</span></legend>
      <p id="attach-hint" class="hint">{t('evidence:attach.hint', { files: limits.maxFiles, size })}</p>
      {files.length > 0 && (
        <ul class="files">
          {files.map((f) => (
            <li key={f.ref.id}>
              {f.kind === 'image' && f.preview && <img src={f.preview} alt="" />}
              {f.kind === 'audio' && f.preview && <audio src={f.preview} controls preload="metadata" />}
              <span class="file-name" dir="auto">{f.ref.name}</span>
              <span class="file-size">{formatBytes(lang, f.ref.size)}</span>
              <button type="button" class="link" onClick={() => remove(f)} aria-label={`${t('evidence:attach.remove')}: ${f.ref.name}`}>{t('evidence:attach.remove')}</button>
            </li>
          ))}
        </ul>
      )}
      <div aria-live="polite">
        {problem && <p class="error" role="alert">{problem}</p>}
        {busy && <p class="status">{t('evidence:attach.preparing')}</p>}
        {recording && <p class="status">{t('evidence:attach.recording', { time: formatClock(lang, now - recording.started) })}</p>}
      </div>
      <label class="choice">
        <input type="checkbox" checked={original} onChange={(e) => setOriginal(e.currentTarget.checked)} />
        <span>{t('evidence:attach.original')}</span>
      </label>
      <div class="attach-actions">
        <input ref={input} id="attach-file" type="file" accept={ACCEPT} multiple hidden
          onChange={(e) => { const chosen = [...(e.currentTarget.files ?? [])]; e.currentTarget.value = ''; void add(chosen); }} />
        <button type="button" disabled={busy || files.length >= limits.maxFiles} onClick={() => input.current?.click()}>{t('evidence:attach.add')}</button>
        {canRecord() && (
          <button type="button" class={recording ? 'recording' : undefined} disabled={busy || (!recording && files.length >= limits.maxFiles)}
            aria-pressed={recording ? 'true' : 'false'} onClick={() => void toggleRecording()}>
            {recording ? t('evidence:attach.stop') : t('evidence:attach.record')}
          </button>
        )}
      </div>
      <p class="hint">{t('evidence:attach.documents')}</p>
    </fieldset>
  );
}
