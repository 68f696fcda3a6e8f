/**
 * Markdown of Note cells through `marked`, sanitised: raw HTML in the source is shown as text (never
 * interpreted), links only to http(s) / mailto / in-page anchors, images shown as links (nothing is
 * loaded from elsewhere).
 */
import { Marked, type Tokens } from 'marked';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h) || h.startsWith('#')) return h;
  return null;
}

const md = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      if (!href) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer" target="_blank">${text}</a>`;
    },
    image(token: Tokens.Image): string {
      const href = safeHref(token.href);
      const alt = escapeHtml(token.text || 'image');
      return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">[${alt}]</a>` : `[${alt}]`;
    },
  },
});

/** Markdown → HTML string that is safe to insert: no element or attribute from the source survives. */
export function renderMarkdown(src: string): string {
  return md.parse(src, { async: false }) as string;
}
