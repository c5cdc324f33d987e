import { Module } from '@nestjs/common';
import { BlockListsController } from './block-lists.controller.js';
import { PolicyController } from './policy.controller.js';

/** GET/PUT /api/policy: the contact policy file; PUT /api/policy/lists/:name: a block list's title (docs/policy.md). */
@Module({ controllers: [PolicyController, BlockListsController] })
export class PolicyModule {}
