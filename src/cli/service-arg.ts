import { InvalidArgumentError } from 'commander';
import { SERVICE_NAME_HINT, serviceName } from '../domain/catalog/names.js';

/** Commander parser for a service: `checkout` or `payments/checkout`, by the catalog's rule; `default/` is dropped. */
export function parseService(value: string): string {
  const name = serviceName(value.trim());
  if (name === null) throw new InvalidArgumentError(`${SERVICE_NAME_HINT}.`);
  return name;
}

/** parseService for a repeatable, comma-separable option. */
export function collectServices(value: string, previous: string[] | undefined): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return [...(previous ?? []), ...items.map(parseService)];
}
