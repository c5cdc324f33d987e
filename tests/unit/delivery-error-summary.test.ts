import { describe, expect, it } from '@jest/globals';
import { deliveryErrorSummary } from '../../server/src/core/channels/delivery-error.js';

describe('a delivery error as people read it', () => {
  it('keeps the provider\'s first line without the attempt number, so one failure groups across attempts', () => {
    expect(deliveryErrorSummary('attempt 3: SMTP 550 mailbox unavailable (not retryable)')).toBe('SMTP 550 mailbox unavailable (not retryable)');
    expect(deliveryErrorSummary('simulated: not delivered')).toBe('simulated: not delivered');
  });

  it('leaves out stack frames and the paths of the machine that sent it, but keeps URLs', () => {
    const s = deliveryErrorSummary('attempt 1: ENOENT: no such file, open /var/lib/rekindle/keys/dkim.pem\n    at Object.openSync (node:fs:573:3)\n    at /home/app/dist/smtp.provider.js:12:4');
    expect(s).toBe('ENOENT: no such file, open …');
    expect(deliveryErrorSummary('attempt 2: webhook https://hooks.example.com/v1/send answered 500')).toBe('webhook https://hooks.example.com/v1/send answered 500');
    expect(deliveryErrorSummary('Error: boom (C:\\app\\dist\\x.js:1:2)')).toBe('Error: boom (…)');
  });

  it('cuts a long error and says nothing for none', () => {
    expect(deliveryErrorSummary('x'.repeat(500))!.length).toBe(120);
    expect(deliveryErrorSummary(null)).toBeNull();
    expect(deliveryErrorSummary('\n  at foo (bar.js:1:1)')).toBeNull();
  });
});
