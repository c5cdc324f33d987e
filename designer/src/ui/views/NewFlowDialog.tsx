import { useState } from 'react';
import { api } from '../../api.js';
import { justCreated } from '../hooks/useFlowDocument.js';
import { errorText } from '../../model/error-words.js';
import { idFromName, idProblem, newFlowProblem } from '../../model/flow-id.js';
import { moveTemplateDates } from '../../model/template-dates.js';
import { TEMPLATES } from '../../model/templates.js';
import { useLang, useT } from '../i18n.js';

/**
 * New journey: a name and its id, from a template of the gallery or blank. It is created as a
 * draft on the server. The id is asked for here, once: prefilled with the name's English words or
 * what the journey does and the month (model/flow-id.ts: `winback-2026-12`), and the publish
 * dialog shows the same one rather than proposing another after a simulation has drawn its A/B
 * groups from it. A taken id is said on the field; one taken meanwhile is the server's 409
 * flow-exists, said in the banner (model/error-words.ts).
 */
export function NewFlowDialog({ taken, onClose, onCreated }: { taken: ReadonlySet<string>; onClose: () => void; onCreated: (id: string) => void }) {
  const t = useT();
  const lang = useLang();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [template, setTemplate] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A Chinese name made from a template takes the template's id (payment-reminder-2), not journey-<date>.
  const shownId = idTouched ? id : idFromName(name, taken, Date.now(), template);
  const problem = idProblem(shownId, taken);
  const blocked = newFlowProblem(name, shownId, taken);
  const [nameTouched, setNameTouched] = useState(false);
  const create = async () => {
    if (blocked) return setNameTouched(true);
    try {
      let flow: Record<string, unknown> = { id: shownId, name: name.trim(), nodes: [] };
      let layout = { positions: {} };
      if (template) {
        const file = await api.file(template);
        // A seasonal template's dates that have gone by move to the next season (Double 11 → next year's).
        flow = { ...moveTemplateDates(file.flow as Record<string, unknown>, Date.now()), id: shownId, name: name || (file.flow as { name: string }).name };
        layout = file.layout;
      }
      const saved = await api.createDraft(shownId, flow as never, layout);
      justCreated.set(shownId, saved.revision);
      onCreated(shownId);
    } catch (e) {
      // In the marketer's words (a taken id said as the id field says it), not the server's English.
      setError(errorText(lang, e));
    }
  };
  return (
    <div className="modal" data-testid="new-flow-dialog">
      <div className="modal-body wide">
        <h3>{t('new.title')}</h3>
        <div className="field">
          <label className="field-label">{t('new.name')}</label>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} onBlur={() => setNameTouched(true)} placeholder={t('new.namePlaceholder')} data-testid="new-name" />
          {!name.trim() && (
            <small className={nameTouched ? 'error' : 'help'} data-testid="new-name-help">
              {t('new.nameEmpty')}
            </small>
          )}
        </div>
        <div className="field">
          <label className="field-label">{t('new.id')}</label>
          <input
            value={shownId}
            onChange={(e) => {
              setIdTouched(true);
              setId(e.target.value.trim().toLowerCase());
            }}
            data-testid="new-id"
          />
          <small className={problem ? 'error' : 'help'} data-testid="new-id-help">
            {problem ? t(problem) : t('new.idHelp')}
          </small>
        </div>
        <h4>{t('templates.title')}</h4>
        <div className="template-grid" data-testid="templates">
          <button type="button" className={`template-card${template === null ? ' chosen' : ''}`} onClick={() => setTemplate(null)} data-testid="template-blank">
            <b>{t('new.blank')}</b>
            <p>{t('new.blankHelp')}</p>
          </button>
          {TEMPLATES.map((tp) => (
            <button type="button" key={tp.id} className={`template-card${template === tp.id ? ' chosen' : ''}`} onClick={() => {
                setTemplate(tp.id);
                // A template names the journey until the marketer gives it a name of their own.
                if (!name.trim()) setName(tp.name[lang]);
              }}
              data-testid={`template-${tp.id}`}
            >
              <span className="muted">{t(`templates.cat.${tp.category}`)}</span>
              <b>{tp.name[lang]}</b>
              <p>{tp.pitch[lang]}</p>
              <ol>
                {tp.steps[lang].map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            </button>
          ))}
        </div>
        {error && (
          <div className="message message-error" data-testid="new-flow-error">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="button" className="primary" onClick={create} disabled={!!blocked} title={blocked ? t(blocked) : undefined} data-testid="create-flow">
            {t('new.create')}
          </button>
        </div>
      </div>
    </div>
  );
}
