/**
 * Where something could not be loaded even after asking again: what did not load and why
 * (model/load-failure.ts), and 重试. `inline`: inside a line of text (a count beside a field).
 */
export function LoadFailed({ words, retry, testId, inline = false }: { words: { text: string; retry: string }; retry: () => void; testId: string; inline?: boolean }) {
  const Box = inline ? 'span' : 'div';
  return (
    <Box className={inline ? 'error' : 'message message-error'} role="alert" data-testid={testId}>
      {words.text}{' '}
      <button type="button" className={inline ? 'small' : undefined} onClick={retry} data-testid={`${testId}-retry`}>
        {words.retry}
      </button>
    </Box>
  );
}
