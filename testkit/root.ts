import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** A short unique id for one run's files, schemas and directories. */
export const runId = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
