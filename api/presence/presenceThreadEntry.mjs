// The presence listener's thread (presenceThread.ts starts it): loads the TypeScript listener
// through tsx, as the rest of the project runs, and hands it the channel to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runPresenceListener } = await tsImport('./presenceListener.ts', import.meta.url);
runPresenceListener(parentPort, workerData);
