/**
 * GET /tab/…: the Inbox tab's pages (the Inbox, the channel tab's configuration page, the New
 * conversation dialog) and their one script. The pages may be framed by Teams only (Teams'
 * tab requirements: frame-ancestors), and by this origin (a test host).
 */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type restify from 'restify';
import { type TabBundle, tabBundle } from '../build-tab.ts';

/** Set by the build (bot/build.ts): where the tab's bundle is, from this file. */
declare const TAB_BUNDLE: string | undefined;

const PAGES: Record<string, { page: string; title: string }> = {
  inbox: { page: 'inbox', title: 'Inbox' },
  config: { page: 'config', title: 'Inbox for this channel' },
  new: { page: 'new', title: 'New conversation' },
};

const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
];

/** teams-js fetches its list of valid host domains from res.cdn.office.net (teams-tab.md §0). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self' https://res.cdn.office.net",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

let built: Promise<TabBundle> | undefined;

function bundle(): Promise<TabBundle> {
  if (typeof TAB_BUNDLE !== 'string') return tabBundle();
  built ??= readFile(new URL(TAB_BUNDLE, import.meta.url), 'utf8').then((js) => ({
    js,
    hash: createHash('sha256').update(js).digest('hex').slice(0, 12),
  }));
  return built;
}

function html(page: { page: string; title: string }, hash: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · textbridge</title>
<style>html,body{margin:0;height:100%}body{font-family:"Segoe UI",system-ui,sans-serif}</style>
</head>
<body data-page="${page.page}">
<div id="root"></div>
<noscript>The textbridge Inbox needs JavaScript.</noscript>
<script type="module" src="/tab/app.js?v=${hash}"></script>
</body>
</html>
`;
}

export function mountTab(server: restify.Server, onError: (err: unknown) => void): void {
  server.get('/tab/app.js', async (req, res) => {
    try {
      const b = await bundle();
      const versioned = new URL(req.url ?? '/', 'http://tab').searchParams.get('v') === b.hash;
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.setHeader('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.sendRaw(200, b.js);
    } catch (err) {
      onError(err);
      res.send(503, { error: 'the Inbox tab is not available (its build failed; see the log)' });
    }
  });
  server.get('/tab/:page', async (req, res) => {
    const page = PAGES[String(req.params['page'])];
    if (!page || !Object.hasOwn(PAGES, String(req.params['page']))) {
      res.send(404, { error: 'no such page: the tab has /tab/inbox, /tab/config and /tab/new' });
      return;
    }
    try {
      const b = await bundle();
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-security-policy', CSP);
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
      res.sendRaw(200, html(page, b.hash));
    } catch (err) {
      onError(err);
      res.send(503, { error: 'the Inbox tab is not available (its build failed; see the log)' });
    }
  });
}
