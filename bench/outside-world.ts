import { startSandbox } from '../sandbox/server';

/**
 * Slack's Web API and the data sources of the alert-storm benchmark, in a process of their own:
 * a scenario's sandbox on a loopback port. In production neither Slack nor DataDog runs on the
 * bot's event loop, so here they do not either. Started with an IPC channel: it sends `{ url }`
 * once listening; it ends on SIGTERM.
 */
const sandbox = await startSandbox(process.argv[2]!);
process.send!({ url: sandbox.url });
process.once('SIGTERM', () => void sandbox.close().finally(() => process.exit(0)));
