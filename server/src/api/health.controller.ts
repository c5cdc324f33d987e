import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from './auth/allow.decorator.js';

@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  @Get()
  async health() {
    await this.ds.query('SELECT 1');
    return { status: 'ok', database: this.ds.options.type };
  }
}
