#!/usr/bin/env node
// The `loom-worker` bin. tsx is registered from Loom's own node_modules, not resolved from the
// caller's directory as `node --import tsx` would, so the command works from anywhere (npm link, npx).
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
