import type { NextFunction, Request, Response } from 'express';
import type { RekindleMetrics } from './rekindle-metrics.js';

/**
 * Times every HTTP request into rekindle_http_request_duration_seconds. The route label is the
 * route's pattern (`/api/flows/:id/publish`), never the concrete URL, so ids and tokens do not
 * become series; static designer files and unknown paths share one label each.
 */
export function httpLatency(metrics: RekindleMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.http.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl ?? ''}${pattern}` : res.statusCode === 404 ? 'unmatched' : 'static';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };
}
