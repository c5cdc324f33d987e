import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import compression from 'compression';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** A year: what browsers and proxies may keep a file whose name changes with its content. */
const A_YEAR_S = 365 * 24 * 3600;

/**
 * Vite names what it builds into `assets/` after its content (`index-axZ9HrWb.js`): a new build
 * is a new name, so such a file never changes under its name.
 */
const CONTENT_NAMED = /^[\w.-]+-[\w-]{8,}\.(js|css|woff2?|png|svg)$/;

/**
 * How long a browser may keep each designer file without asking again. The content-named assets
 * (2.4 MB of script: the editor and the ELK layout engine) are kept for a year without a
 * revalidation round trip each load; everything else — `index.html`, which names the current
 * assets — is asked again every time (`no-cache` still lets the browser reuse it on a 304), so a
 * marketer gets a new release on the next reload, never a stale page naming files that are gone.
 */
export function designerCacheControl(file: string): string {
  return CONTENT_NAMED.test(basename(file)) ? `public, max-age=${A_YEAR_S}, immutable` : 'no-cache';
}

/**
 * Serves the built designer (`designer/dist`) to anyone: the sign-in page is part of it, and the
 * files hold no shop data (everything the designer shows comes from /api, which asks who calls).
 * The built assets are compressed when the browser accepts it (the scripts shrink to about a
 * third: 2.4 MB → 0.8 MB over a marketer's office line or a TLS proxy that does not compress).
 * Mounted on `/assets` alone, where they are (index.html is under compression's 1 kB threshold):
 * API answers never pass through it, so an event feed's latency is not spent on gzip.
 */
export function serveDesigner(app: NestExpressApplication, dir: string): void {
  app.use('/assets', compression());
  app.useStaticAssets(dir, {
    // Set before express.static's own `public, max-age=0`, which it then leaves alone (send checks for one).
    setHeaders: (res: ServerResponse, file: string) => res.setHeader('Cache-Control', designerCacheControl(file)),
  });
}
