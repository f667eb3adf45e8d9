import { parseAllDocuments } from 'yaml';
import { validationError } from '../errors.js';
import type { FieldError } from '../errors.js';
import { CATALOG_LIMITS } from './limits.js';

const firstLine = (message: string) => message.split('\n')[0]?.replace(/:$/, '') ?? message;

/**
 * Multi-document YAML (JSON is YAML too) → one value per document, empty ones kept as null so
 * `documents[i]` counts `---` separators. A lone top-level list is taken as the list of documents.
 */
export function parseCatalogYaml(text: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  if (docs.length > CATALOG_LIMITS.documents) {
    throw validationError(
      [
        {
          path: 'documents',
          message: `expected at most ${CATALOG_LIMITS.documents.toLocaleString('en-US')} documents`,
        },
      ],
      'The catalog is not valid YAML.',
    );
  }
  const errors: FieldError[] = [];
  const values = docs.map((doc, i) => {
    for (const e of doc.errors) errors.push({ path: `documents[${i}]`, message: `YAML: ${firstLine(e.message)}` });
    if (doc.errors.length > 0) return null;
    try {
      // The alias cap stops "billion laughs" documents from expanding without bound.
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      errors.push({
        path: `documents[${i}]`,
        message: `YAML: ${e instanceof Error ? firstLine(e.message) : 'cannot be read'}`,
      });
      return null;
    }
  });
  if (errors.length > 0)
    throw validationError(errors.slice(0, CATALOG_LIMITS.errors), 'The catalog is not valid YAML.');
  const [only] = values;
  return values.length === 1 && Array.isArray(only) ? only : values;
}
