import type { FlowSummary } from '../../api.js';
import { formatDateTime } from '../../model/format.js';
import { hasFiguresToRead } from '../../model/figures-to-read.js';
import { saveStateKey } from '../../model/save-state-words.js';
import type { DraftFlow } from '../../model/types.js';
import type { DrawingState } from '../hooks/useDrawing.js';
import type { SaveState } from '../hooks/useFlowDocument.js';
import { useLang, useT } from '../i18n.js';

interface Props {
  flow: DraftFlow;
  status: FlowSummary['status'];
  summary: FlowSummary | undefined;
  unpublished: boolean;
  autosave: { state: SaveState; savedAt: number | null; hasDraft: boolean };
  drawing: DrawingState;
  errors: number;
  /** Marketers and admins change journeys; analysts read them. */
  canEdit: boolean;
  /** The shop's time zone: versions and the draft's save time in shop time. */
  timezone?: string;
  /** An auto layout is being computed: its positions land a moment later, so publishing waits for them. */
  layingOut: boolean;
  onHome: () => void;
  onLayout: () => void;
  onPublish: () => void;
  onDiscard: () => void;
  onDiff: () => void;
  onLifecycle: (a: 'pause' | 'resume' | 'stop') => void;
  onSimulate: () => void;
  onCounts: () => void;
  onExport: () => void;
  onImport: (f: File) => void;
  onRestore: (version: number) => void;
}

/** One row: where you are, the draft's state, editing, watching, and the lifecycle (publish last). */
export function EditorToolbar(p: Props) {
  const t = useT();
  const lang = useLang();
  const d = p.drawing;
  const published = p.summary?.currentVersion != null;
  // Saved, but the live journey again (every edit undone): not called a draft (model/unpublished.ts); never published: said (model/save-state-words.ts).
  const saveText = t(saveStateKey({ canEdit: p.canEdit, state: p.autosave.state, savedAt: p.autosave.savedAt, published, unpublished: p.unpublished, hasDraft: p.autosave.hasDraft })).replace('{t}', p.autosave.savedAt ? formatDateTime(lang, p.autosave.savedAt, p.timezone).slice(-5) : '');
  return (
    <header className="toolbar" data-testid="toolbar">
      <button type="button" onClick={p.onHome} title={t('nav.journeys')} data-testid="back-home">
        ←
      </button>
      <b className="flow-name" title={p.flow.id} data-testid="flow-name" data-content>
        {p.flow.name || p.flow.id}
      </b>
      <span className={`status status-${p.status}`} data-testid="flow-status">
        {t(`status.${p.status}`)}
        {published ? ` v${p.summary!.currentVersion}` : ''}
      </span>
      {p.unpublished && (
        <button type="button" className="badge-unpublished" onClick={p.onDiff} data-testid="unpublished" title={t('draft.compare')}>
          {t('draft.unpublished')}
        </button>
      )}
      <span className={`autosave autosave-${p.autosave.state}`} data-testid="autosave">
        {saveText}
      </span>
      <span className="sep" />
      <button type="button" onClick={d.undo} disabled={!d.hist.past.length} title={`${t('tb.undo')} (Ctrl+Z)`} data-testid="undo">
        ↶
      </button>
      <button type="button" onClick={d.redo} disabled={!d.hist.future.length} title={`${t('tb.redo')} (Ctrl+Y)`} data-testid="redo">
        ↷
      </button>
      <button type="button" onClick={p.onLayout} disabled={p.layingOut || !p.canEdit} data-testid="auto-layout">
        {t('tb.layout')}
      </button>
      <select
        className="more"
        value=""
        aria-label={t('tb.more')}
        data-testid="more"
        onChange={(e) => {
          const v = e.target.value;
          e.target.value = '';
          if (v === 'copy') d.copy();
          else if (v === 'paste') d.paste();
          else if (v === 'delete') d.del();
          else if (v === 'export') p.onExport();
          else if (v === 'import') document.getElementById('import-file')?.click();
          else if (v.startsWith('restore-')) p.onRestore(Number(v.slice(8)));
        }}
      >
        <option value="">{t('tb.more')}…</option>
        <option value="copy" disabled={!d.selected.length}>
          {t('tb.copy')} (Ctrl+C)
        </option>
        <option value="paste" disabled={!d.clipboard.length || !p.canEdit}>
          {t('tb.paste')} (Ctrl+V)
        </option>
        <option value="delete" disabled={!d.selected.length || !p.canEdit}>
          {t('tb.delete')}
        </option>
        <option value="export">{t('tb.export')}</option>
        <option value="import" disabled={!p.canEdit}>
          {t('tb.import')}
        </option>
        {(p.summary?.versions ?? [])
          .slice()
          .reverse()
          .map((v) => (
            <option key={v.version} value={`restore-${v.version}`} disabled={!p.canEdit}>
              {t('tb.restoreVersion').replace('{v}', String(v.version)).replace('{t}', formatDateTime(lang, v.publishedAt, p.timezone))}
            </option>
          ))}
      </select>
      <input id="import-file" type="file" accept=".yaml,.yml" hidden onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // the same file can be chosen again (after a fix, or after cancelling)
          if (file) p.onImport(file);
        }}
      />
      <span className="grow" />
      <button type="button" onClick={p.onSimulate} data-testid="simulate" disabled={!p.canEdit || p.errors > 0} title={p.errors ? t('msg.publishRefused') : t('sim.help')}>
        {t('tb.simulate')}
      </button>
      <button type="button" onClick={p.onCounts} disabled={!hasFiguresToRead(p.summary)} data-testid="live-counts">
        {t('tb.counts')}
      </button>
      {p.unpublished && (
        <button type="button" onClick={p.onDiff} data-testid="diff">
          {t('draft.compare')}
        </button>
      )}
      {/* A draft that is the live journey (every edit undone) has nothing to discard (model/unpublished.ts). */}
      {p.autosave.hasDraft && (!published || p.unpublished) && (
        <button type="button" onClick={p.onDiscard} data-testid="discard" disabled={!p.canEdit}>
          {t('draft.discard')}
        </button>
      )}
      {p.status === 'active' && (
        <button type="button" onClick={() => p.onLifecycle('pause')} data-testid="pause" disabled={!p.canEdit}>
          {t('tb.pause')}
        </button>
      )}
      {p.status === 'paused' && (
        <button type="button" onClick={() => p.onLifecycle('resume')} data-testid="resume" disabled={!p.canEdit}>
          {t('tb.resume')}
        </button>
      )}
      {(p.status === 'active' || p.status === 'paused') && (
        <button type="button" onClick={() => p.onLifecycle('stop')} data-testid="stop" disabled={!p.canEdit}>
          {t('tb.stop')}
        </button>
      )}
      <button type="button" className="primary" onClick={p.onPublish} data-testid="publish" disabled={!p.canEdit || p.errors > 0 || p.layingOut || (published && !p.unpublished && p.status !== 'stopped')} title={!p.canEdit ? t('draft.readOnlyHelp') : p.errors ? t('msg.publishRefused') : ''}>
        {published ? t('tb.publishChanges') : t('tb.publish')}
      </button>
    </header>
  );
}
