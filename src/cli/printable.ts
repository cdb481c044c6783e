/**
 * Text from the data (column names, ids, paths, option values) made safe to print on a terminal: control characters
 * — ESC sequences that move the cursor, clear the screen, set the window title or write hyperlinks (OSC 8), BEL,
 * backspace, C1 controls — and the line separators U+2028/U+2029 are shown as `\u001b`-style escapes, so a name can
 * neither rewrite what the terminal shows nor split one message into several lines. With `keepLines`, line feeds
 * and tabs are kept (help text, multi-line notes); otherwise a line feed is shown as `\n`.
 */
export function printable(text: string, keepLines = false): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (keepLines && (c === '\n' || c === '\t')) return c;
    if (c === '\n') return '\\n';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
