/**
 * Checks made before a call, so a request SmartDialog would refuse fails with the field named
 * (the API's own 400 answers are undocumented, providers README §3.2 "Errors").
 */
import { ProviderValidationError } from '../errors.ts';

export function invalid(message: string): ProviderValidationError {
  return new ProviderValidationError(`SmartDialog: ${message}`, 'smartdialog');
}

export function checkRequired(field: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw invalid(`${field} is required`);
  return value;
}

export function checkMaxLength(field: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) {
    throw invalid(`${field} must be at most ${max} characters, got ${value.length}`);
  }
}

export function checkDateTime(field: string, value: string | undefined): void {
  if (value !== undefined && Number.isNaN(Date.parse(value))) {
    throw invalid(`${field} must be an ISO-8601 date-time, got "${value}"`);
  }
}
