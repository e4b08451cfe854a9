// Ponder requires an API entry; the baseline serves nothing beyond Ponder's own /health and /status.
import { Hono } from 'hono';

export default new Hono();
