import { useState } from 'react';
import { api } from '../../api.js';
import { errorText } from '../../model/error-words.js';
import { listTitleAction, listTitleProblem, listTitleRule, listTitleSaveWords } from '../../model/list-title-edit.js';
import { listLabel, type ListTitles } from '../../model/list-titles.js';
import { useLang } from '../i18n.js';

/**
 * The shop's block lists by their titles, each with 改名称 (起名称 for an untitled one) for an admin
 * (the page shows this only to admins; the server refuses anyone else). The edit is inline: the
 * rule said under the field before saving, the title checked as the server checks it, saved on its
 * own (PUT /api/policy/lists/:name, not with the policy file: a title changes no rule), and a refusal
 * said naming the field. `onSaved` puts the new title everywhere on the page.
 */
export function BlockListTitles({ lists, listTitles, onSaved }: { lists: readonly string[]; listTitles: ListTitles; onSaved: (name: string, title: string) => void }) {
  const lang = useLang();
  const zh = lang === 'zh';
  const [editing, setEditing] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const open = (name: string) => {
    setEditing(name);
    setTyped(listTitles[name] ?? '');
    setProblem(null);
  };
  const close = () => {
    setEditing(null);
    setProblem(null);
  };
  const save = async (name: string) => {
    const wrong = listTitleProblem(lang, typed);
    if (wrong) return setProblem(wrong);
    setSaving(true);
    try {
      const r = await api.setListTitle(name, typed.trim());
      onSaved(name, r.title);
      close();
    } catch (e) {
      setProblem(listTitleSaveWords(lang, e, name) ?? errorText(lang, e));
    } finally {
      setSaving(false);
    }
  };

  if (lists.length === 0) return null;
  return (
    <div className="list-titles" data-testid="list-titles">
      <h4>{zh ? '屏蔽名单的名称' : 'Block list names'}</h4>
      <ul>
        {[...lists].sort().map((name) => (
          <li key={name} data-testid={`list-title-${name}`}>
            {editing === name ? (
              <form
                className="list-title-edit"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save(name);
                }}
              >
                <input
                  value={typed}
                  autoFocus
                  aria-label={zh ? '名单名称' : 'List name'}
                  onChange={(e) => (setTyped(e.target.value), setProblem(null))}
                  onKeyDown={(e) => e.key === 'Escape' && close()}
                  data-testid="list-title-input"
                />{' '}
                <small className="choice-detail" data-content>
                  {name}
                </small>{' '}
                <button type="submit" className="small primary" disabled={saving} data-testid="list-title-save">
                  {saving ? (zh ? '保存中…' : 'Saving…') : zh ? '保存名称' : 'Save name'}
                </button>{' '}
                <button type="button" className="small" onClick={close} data-testid="list-title-cancel">
                  {zh ? '取消' : 'Cancel'}
                </button>
                <p className="help" data-testid="list-title-rule">
                  {listTitleRule(lang)}
                </p>
                {problem && (
                  <p className="error" role="alert" data-testid="list-title-problem">
                    {problem}
                  </p>
                )}
              </form>
            ) : (
              <>
                <span className="policy-name" title={`rules/lists/${name}.txt`} data-content>
                  {listLabel(lang, name, listTitles)}
                </span>{' '}
                {listTitles[name] && (
                  <small className="choice-detail" data-content>
                    {name}
                  </small>
                )}{' '}
                <button type="button" className="small" onClick={() => open(name)} data-testid={`list-title-edit-${name}`}>
                  {listTitleAction(lang, listTitles[name])}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
