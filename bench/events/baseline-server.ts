/**
 * The baseline of bench/events: the bare framework (NestJS on Express, same body parser limits)
 * answering a constant to the same POST the events bench sends. Started as its own process.
 */
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller()
class ConstantController {
  @Post('constant')
  @HttpCode(200)
  constant() {
    return { accepted: 1, duplicates: 0, rejected: [] };
  }
}

@Module({ controllers: [ConstantController] })
class BaselineModule {}

async function main() {
  const app = await NestFactory.create<NestExpressApplication>(BaselineModule, { logger: ['error'] });
  app.setGlobalPrefix('api');
  app.useBodyParser('json', { limit: '20mb' });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log('ready');
}

void main();
