import type { NotificationMessage } from './types';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The HTML part of an e-mail with links (scheduled report summaries): the text as paragraphs, then one
 * anchor per link. Everything is escaped; URLs are http(s) only (the payload schema checks that).
 */
export function renderHtml(msg: NotificationMessage): string {
  const title = esc(msg.title ?? `InvestIQ ${msg.event}`);
  const paras = (msg.text ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `<p>${esc(l)}</p>`)
    .join('\n');
  const items = (msg.links ?? [])
    .map((l) => `<li><a href="${esc(l.url)}">${esc(l.label)}</a></li>`)
    .join('\n');
  const more = msg.link ? `<p><a href="${esc(msg.link)}">${esc(msg.link)}</a></p>` : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h2>${title}</h2>
${paras}
${items ? `<ul>\n${items}\n</ul>` : ''}
${more}
<p style="color:#666;font-size:12px">${esc(msg.time)}</p>
</body></html>`;
}
