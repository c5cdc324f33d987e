/**
 * A time of day as typed into the designer's own 24-hour field ("23:00", "2300", "23：00" with a
 * Chinese colon, "9:30", "930", "9") → "HH:MM", or null when it is no time of day (25:00, 9:75,
 * 晚上). The browser's <input type="time"> is not used: it draws the time in the browser's
 * locale, so an English browser showed quiet hours as "11:00 PM" on a Chinese page.
 */
export function parseTimeOfDay(text: string): string | null {
  const s = text.trim();
  const m = /^(\d{1,2})\s*[:：.]\s*(\d{2})$/.exec(s) ?? /^(\d{1,2})(\d{2})$/.exec(s) ?? /^(\d{1,2})()$/.exec(s);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
