/**
 * The text fields of a manual column annotation, as the HTTP API and the MCP server accept them:
 * names and terms are labels, descriptions a paragraph; neither is a document.
 */
import { z } from 'zod';

/** A business name, entity type, domain or ontology term. */
export const annotationName = () => z.string().min(1).max(200);

/** A column's description. */
export const annotationDescription = () => z.string().min(1).max(4000);
