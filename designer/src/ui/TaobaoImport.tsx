import { useRef, useState } from 'react';
import { api } from '../api.js';
import { errorText } from '../model/error-words.js';
import { taobaoBusyWords, taobaoImportWords, taobaoRefusalWords, type TaobaoImportReply } from '../model/taobao-import-words.js';
import { useLang } from './i18n.js';

/**
 * 导入淘宝/天猫订单 on the customers page (admins): the seller-center order export as downloaded
 * (GBK .csv), sent as it is to POST /api/import/taobao, then what came in and each refused row by its
 * line in the file. The import was the CLI's only.
 */
export function TaobaoImport({ onImported }: { onImported?: () => void }) {
  const lang = useLang();
  const zh = lang === 'zh';
  const input = useRef<HTMLInputElement>(null);
  /** The file on its way: its name, and bytes uploaded of all (null until the first progress). */
  const [busy, setBusy] = useState<{ file: string; sent: number | null; total: number } | null>(null);
  const [result, setResult] = useState<{ file: string; reply: TaobaoImportReply } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const send = async (file: File) => {
    setBusy({ file: file.name, sent: null, total: file.size });
    setResult(null);
    setFailed(null);
    try {
      const reply = await api.importTaobao(file, (sent, total) => setBusy({ file: file.name, sent, total }));
      setResult({ file: file.name, reply });
      onImported?.();
    } catch (e) {
      setFailed(`${zh ? `「${file.name}」没有导入` : `"${file.name}" was not imported`}${zh ? '：' : ': '}${(e as { status?: number }).status === 400 ? taobaoRefusalWords(lang, (e as Error).message) : errorText(lang, e)}`);
    } finally {
      setBusy(null);
      if (input.current) input.current.value = '';
    }
  };
  const words = result ? taobaoImportWords(lang, result.reply) : null;
  return (
    <div className="taobao-import" data-testid="taobao-import">
      <label>
        {zh ? '导入淘宝/天猫订单导出（.csv，原样上传）：' : 'Import a Taobao/Tmall order export (.csv, as downloaded): '}
        <input ref={input} type="file" accept=".csv,text/csv" disabled={busy !== null} onChange={(e) => e.target.files?.[0] && void send(e.target.files[0])} data-testid="taobao-file" />
      </label>
      {busy && (
        <div className="taobao-busy" data-testid="taobao-busy" role="status">
          {/* Indeterminate (no value) until the first progress, and again while the server imports. */}
          <progress max={busy.total || 1} value={busy.sent !== null && busy.sent < busy.total ? busy.sent : undefined} aria-hidden="true" />
          <span>{taobaoBusyWords(lang, busy.file, busy.sent, busy.total)}</span>
        </div>
      )}
      {failed && <div className="message message-error" role="alert" data-testid="taobao-failed">{failed}</div>}
      {words && (
        <div className="message message-ok" data-testid="taobao-result">
          <div data-testid="taobao-summary">{`「${result!.file}」${words.summary}`}</div>
          {words.errors.length > 0 && (
            <ul data-testid="taobao-errors">
              {words.errors.map((e) => (
                <li key={e} data-content>{e}</li>
              ))}
              {words.more && <li className="muted">{words.more}</li>}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
