/**
 * Ticks for a list of named choices (events, block lists, block rules): the value kept in the choices' order, any value the shop has that is not offered kept and shown too.
 * `detail`: a second, smaller name after the label (a block list's name beside its title).
 */
export function ChoiceList({ choices, value, onChange, testId }: { choices: readonly { value: string; label: string; detail?: string }[]; value: readonly string[]; onChange: (v: string[]) => void; testId: string }) {
  // A name the file has but the shop no longer offers (a deleted list) stays visible, so unticking it is possible.
  const all: { value: string; label: string; detail?: string }[] = [...choices, ...value.filter((v) => !choices.some((c) => c.value === v)).map((v) => ({ value: v, label: v }))];
  return (
    <div className="enum-list choice-list" data-testid={`choices-${testId}`}>
      {all.map((c) => (
        <label key={c.value} className="inline" title={c.value}>
          <input type="checkbox" value={c.value} checked={value.includes(c.value)} onChange={(e) => onChange(all.map((x) => x.value).filter((x) => (x === c.value ? e.target.checked : value.includes(x))))} /> <span data-content>{c.label}</span>
          {c.detail && (
            <small className="choice-detail" data-content>
              {c.detail}
            </small>
          )}
        </label>
      ))}
    </div>
  );
}
