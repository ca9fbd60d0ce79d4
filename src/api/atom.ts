import type { AlertEvent } from '../model/alert-event.js';

/** XML text and attribute escaping; characters XML 1.0 forbids (control characters) are dropped. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDFFF]/g, (ch, offset: number, whole: string) => {
      // Keep well-formed surrogate pairs, drop lone halves (not allowed in XML).
      const code = ch.charCodeAt(0);
      if (code <= 0xdbff) { const next = whole.charCodeAt(offset + 1); return next >= 0xdc00 && next <= 0xdfff ? ch : ''; }
      const prev = whole.charCodeAt(offset - 1);
      return prev >= 0xd800 && prev <= 0xdbff ? ch : '';
    })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface AtomFeed {
  /** The feed's own URL (rel=self) and its id. */
  selfUrl: string;
  /** The web page the feed is about (rel=alternate). */
  pageUrl: string;
  title: string;
  /** Makes entry links absolute. */
  baseUrl: string;
  events: readonly AlertEvent[];
  /** When the feed has no entries: the feed's `updated`. */
  emptyUpdated: string;
}

/** An Atom 1.0 feed (RFC 4287): id, title, updated, author, self link; per entry id, title, updated, link, summary. */
export function atomFeed(feed: AtomFeed): string {
  const updated = feed.events.reduce((max, e) => (e.at > max ? e.at : max), feed.events[0]?.at ?? feed.emptyUpdated);
  const abs = (link: string) => new URL(link, feed.baseUrl).toString();
  const entries = feed.events.map(
    (e) => `  <entry>
    <id>urn:att-observatory:event:${e.id}</id>
    <title type="text">${xmlEscape(e.title)}</title>
    <updated>${xmlEscape(e.at)}</updated>
    <link rel="alternate" type="text/html" href="${xmlEscape(abs(e.link))}"/>
    <category term="${xmlEscape(e.kind)}" label="${xmlEscape(e.kind.replaceAll('_', ' '))}"/>${e.stateId ? `\n    <category term="${xmlEscape(e.stateId)}" scheme="urn:att-observatory:state"/>` : ''}
    <summary type="text">${xmlEscape(e.summary || e.title)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlEscape(feed.selfUrl)}</id>
  <title type="text">${xmlEscape(feed.title)}</title>
  <updated>${xmlEscape(updated)}</updated>
  <author><name>ATT Observatory</name></author>
  <generator>ATT Observatory</generator>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(feed.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xmlEscape(feed.pageUrl)}"/>
${entries.join('\n')}
</feed>
`;
}
