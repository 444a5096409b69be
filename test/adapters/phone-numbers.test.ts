import { describe, expect, it } from 'vitest';
import { customerNumber, isWebhookCustomerNumber } from '../../adapters/phone-numbers.ts';

describe('isWebhookCustomerNumber', () => {
  it('takes a possible number with or without its +, and the same number again', () => {
    for (let i = 0; i < 3; i++) {
      expect(isWebhookCustomerNumber('+61491570156', false)).toBe(true);
      expect(isWebhookCustomerNumber('61491570156', false)).toBe(true);
    }
  });

  it('refuses a number its country cannot have, however often it comes', () => {
    // A North American number has ten digits after the 1; this one has seven.
    for (let i = 0; i < 3; i++) expect(isWebhookCustomerNumber('+12345678', false)).toBe(false);
    expect(isWebhookCustomerNumber('4412345', false)).toBe(false);
    expect(isWebhookCustomerNumber('+1555012', false)).toBe(false);
    expect(isWebhookCustomerNumber('hello', false)).toBe(false);
  });

  it('takes the sandbox’s fictional numbers by their form alone', () => {
    expect(isWebhookCustomerNumber('+15550100', true)).toBe(true);
    expect(customerNumber('+15550100', 'possible')).toBeUndefined();
  });

  it('keeps judging numbers right past the numbers it remembers', () => {
    for (let i = 0; i < 10_050; i++) {
      expect(isWebhookCustomerNumber(`+614915${String(i).padStart(5, '0')}`, false)).toBe(true);
    }
    expect(isWebhookCustomerNumber('+61491570156', false)).toBe(true);
    expect(isWebhookCustomerNumber('+12345678', false)).toBe(false);
  });
});
