import { Module } from '@nestjs/common';
import { PolicyController } from './policy.controller.js';

/** GET/PUT /api/policy: the contact policy file (docs/policy.md). */
@Module({ controllers: [PolicyController] })
export class PolicyModule {}
