/** What a ConfirmDialog asks: the consequences in words, and what confirming runs. */
export interface Confirmation {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
  /** The cancel button's words (default: Cancel). */
  cancel?: string;
  run: () => Promise<void> | void;
  /** Called when the marketer cancels (not after run). */
  onCancel?: () => void;
}
