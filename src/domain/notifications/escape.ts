/** Slack mrkdwn: `&`, `<` and `>` are the only characters Slack asks to escape (they start links and mentions). */
export const escapeSlack = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Markdown (Mattermost, Teams TextBlock): HTML-significant characters as entities, punctuation backslash-escaped. */
export const escapeMd = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]()#+\-.!|~@]/g, '\\$&');

/** Text with line breaks kept, each line's control characters removed. */
export const clean = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => (c === '\n' ? '\n' : ' '));

/** One line: every control character a space. */
export const oneLine = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');

/** Cuts to at most `max` characters, marking the cut. */
export const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
