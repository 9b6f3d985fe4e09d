// A worker thread does not inherit the parent's TypeScript loader (tsx under `npm start`, Vite
// under vitest): register tsx, then load the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./investigation-worker.ts');
