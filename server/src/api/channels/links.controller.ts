import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { LinkClicksService } from './link-clicks.service.js';
import { Public } from '../auth/allow.decorator.js';

const NOT_FOUND_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Link not found</title>
<body style="font-family:sans-serif;max-width:32em;margin:4em auto"><h1>Link not found</h1>
<p>This link is unknown or no longer valid. 链接无效或已过期。</p></body></html>`;

/** `GET /r/:token` (outside the `/api` prefix: excluded in create-app.ts): records the click and redirects (302) to the flow's link; unknown → 404 page. */
/** Customers follow these links from their messages: no account. */
@Controller()
@Public()
export class LinksController {
  constructor(@Inject(LinkClicksService) private readonly clicks: LinkClicksService) {}

  @Get('r/:token')
  async follow(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const url = await this.clicks.follow(token);
    // Never cached: every visit must reach the server to be counted.
    res.setHeader('Cache-Control', 'no-store');
    if (!url) {
      res.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    res.redirect(302, url);
  }
}
