import { Controller, Get } from '@nestjs/common';
import { FACTS } from '../../core/facts/catalogue.js';
import { OPERATORS } from '../../core/rules/operators.js';
import { Allow } from '../auth/allow.decorator.js';

/**
 * The fact catalogue and the operators for the designer's rule builder: which facts exist, their
 * type, description, example and allowed values, and which operators apply to which fact type.
 */
@Controller('facts')
@Allow('analyst')
export class FactsController {
  @Get()
  catalogue() {
    return {
      facts: FACTS.map((f) => ({
        name: f.name,
        type: f.type,
        description: f.description,
        example: f.example,
        values: f.values ?? null,
        unit: f.unit ?? null,
        derived: !!f.derived,
      })),
      operators: OPERATORS.map((o) => ({ name: o.name, description: o.description, factTypes: o.factTypes, sql: !!o.sql })),
    };
  }
}
