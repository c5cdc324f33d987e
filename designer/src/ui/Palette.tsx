import { NODE_TYPES, type NodeType } from '../model/types.js';
import { useT } from './i18n.js';

export const DRAG_TYPE = 'application/rekindle-node';

/** Every node type of the engine: click to add below the flow, or drag onto the canvas. */
export function Palette({ onAdd, disabled }: { onAdd: (type: NodeType) => void; disabled: (type: NodeType) => string | null }) {
  const t = useT();
  return (
    <aside className="palette">
      <h3>{t('palette.title')}</h3>
      <small>{t('palette.hint')}</small>
      {NODE_TYPES.map((type) => {
        const why = disabled(type);
        return (
          <button
            key={type}
            type="button"
            className={`palette-item step-${type}`}
            data-testid={`palette-${type}`}
            disabled={!!why}
            title={why ?? t(`type.${type}`)}
            draggable={!why}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, type);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onClick={() => onAdd(type)}
          >
            {t(`type.${type}`)}
          </button>
        );
      })}
    </aside>
  );
}
