import type { DiffRow } from '../../model/diff.js';

/** Two flow texts side by side (model/diff.ts sideBySide): the changed lines only, or every line (`all`: a first version has nothing to compare with). */
export function DiffTable({ rows, left, right, testId, all = false }: { rows: DiffRow[]; left: string; right: string; testId: string; all?: boolean }) {
  return (
    <div className="diff-table-wrap">
      <table className="diff-table" data-testid={testId}>
        <thead>
          <tr>
            <th>{left}</th>
            <th>{right}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) =>
            r.kind === 'same' && !all ? null : (
              <tr key={i} className={`diff-${r.kind}`}>
                <td>
                  <code>{r.left ?? ''}</code>
                </td>
                <td>
                  <code>{r.right ?? ''}</code>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
