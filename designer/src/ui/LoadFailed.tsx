/** A screen whose opening load failed even after asking again: what did not load, and 重试. */
export function LoadFailed({ words, retry, testId }: { words: { text: string; retry: string }; retry: () => void; testId: string }) {
  return (
    <div className="message message-error" role="alert" data-testid={testId}>
      {words.text}{' '}
      <button type="button" onClick={retry} data-testid={`${testId}-retry`}>
        {words.retry}
      </button>
    </div>
  );
}
