import { Agent, request } from 'node:http';
import { signedSlackHeaders } from '../sandbox/slack-signature';

/**
 * Slack's Events API for the alert-storm benchmark, in a process of its own (so neither the bot's
 * work nor the sandbox's delays the clock): sends signed events to the bot and times each
 * acknowledgement, from the moment the request is on the wire to the response, so that the time
 * this sender itself takes to write a burst is not counted against the bot. Started with an IPC
 * channel: it sends `{ ready: true }`, then answers each `SendEvents` with `{ acks }`, the
 * milliseconds of each event acknowledged 200, sorted.
 */
export type SendEvents = {
  target: string;
  secret: string;
  events: { event: Record<string, unknown>; eventId: string }[];
  /** Events sent at once, then a pause of `pauseMs` before the next burst. */
  burst: number;
  pauseMs: number;
};

const agent = new Agent({ keepAlive: true });

function ackMs(m: SendEvents, e: SendEvents['events'][number]): Promise<number | undefined> {
  const body = JSON.stringify({ type: 'event_callback', event_id: e.eventId, event: e.event });
  const headers = { 'content-type': 'application/json', ...signedSlackHeaders(m.secret, body) };
  return new Promise((resolve, reject) => {
    let sentAt = 0;
    const req = request(m.target, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - sentAt : undefined));
    });
    req.on('finish', () => {
      sentAt = performance.now();
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens `n` keep-alive connections first (GET /healthz), as Slack's would be: connecting is not acking. */
async function warm(target: string, n: number): Promise<void> {
  const url = new URL('/healthz', target);
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          request(url, { agent }, (res) => res.resume().on('end', resolve))
            .on('error', reject)
            .end();
        }),
    ),
  );
}

async function send(m: SendEvents): Promise<number[]> {
  await warm(m.target, m.burst);
  const sends: Promise<number | undefined>[] = [];
  for (let i = 0; i < m.events.length; i++) {
    sends.push(ackMs(m, m.events[i]!));
    if (i % m.burst === m.burst - 1 && i < m.events.length - 1)
      await new Promise((r) => setTimeout(r, m.pauseMs));
  }
  return (await Promise.all(sends)).filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
}

process.on('message', (m: SendEvents) => {
  void send(m).then((acks) => process.send!({ acks }));
});
process.send!({ ready: true });
