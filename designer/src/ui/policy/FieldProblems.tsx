import type { PolicyProblem } from '../../model/policy-words.js';

/** The problems a rejected save named for one field, under that field. */
export function FieldProblems({ problems, field }: { problems: readonly PolicyProblem[]; field: string }) {
  const mine = problems.filter((p) => p.field === field);
  if (!mine.length) return null;
  return (
    <>
      {mine.map((p, i) => (
        <small key={i} className="error" role="alert" data-testid="field-error" data-field={field}>
          {p.words}
        </small>
      ))}
    </>
  );
}
