// Ponder requires its config inside its root; the project's lives at the top level.
export { default } from '../ponder.config';
