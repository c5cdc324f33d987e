import { useState } from 'react';
import { useT } from '../i18n.js';

// The shape lives in a .ts file so code without JSX (useFlowImport, its tests) can name it.
import type { Confirmation } from './confirmation.js';
export type { Confirmation };

/** "Are you sure?" with the consequences in words (how many customers are in the journey now). */
export function ConfirmDialog({ c, onClose }: { c: Confirmation; onClose: () => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  return (
    <div className="modal" data-testid="confirm">
      <div className="modal-body">
        <h3>{c.title}</h3>
        <p data-testid="confirm-body">{c.body}</p>
        <div className="modal-actions">
          <button
            type="button"
            onClick={() => {
              c.onCancel?.();
              onClose();
            }}
            data-testid="confirm-cancel"
          >
            {c.cancel ?? t('cancel')}
          </button>
          <button
            type="button"
            className={c.danger ? 'danger' : 'primary'}
            disabled={busy}
            data-testid="confirm-ok"
            onClick={async () => {
              setBusy(true);
              try {
                await c.run();
              } finally {
                onClose();
              }
            }}
          >
            {c.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
