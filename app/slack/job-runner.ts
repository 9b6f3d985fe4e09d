import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Alert } from '../../agent/alert';
import { markThreadOpened, releaseClaim } from '../../data/alerts';
import { markResumed } from '../../data/investigations';
import {
  claimNextJob,
  claimOpeningJob,
  coalesceOlder,
  deferOpening,
  finishJob,
  getJob,
  insertJob,
  jobCounts,
  markJobQueued,
  markOverflow,
  type NewJob,
  releaseLeases,
  renewLeases,
  setJobInvestigation,
  setJobThread,
  type ThreadJob,
} from '../../data/thread-jobs';
import { redactDeep } from '../../lib/redact';
import { RunInterrupted } from '../workers/run-interrupted';
import { progressText } from './blocks';
import { SLACK_DEFAULTS } from './defaults';
import { firstReplyText, NOTICE_TEXT, openRetryDelay, priorityRank } from './job-policy';
import { updatingReporter } from './progress';
import { type OpenedThread, placeOf, type RunDeps, runInThread, warnThread } from './run-in-thread';

export type JobRunnerOptions = {
  /** How long a run stays this process's without a heartbeat (SRE_RUN_LEASE_MS). */
  leaseMs: number;
  /** Jobs allowed to wait (SRE_MAX_QUEUED); beyond it the lowest-priority oldest is answered "queue full". */
  maxQueued: number;
  openBackoffMs?: readonly number[];
  /** Runs a job may start when its worker keeps dying under it; then it is failed. */
  maxRunsAfterWorkerCrash?: number;
  now?: () => number;
};

/** A new alert job: its cycle, and where its thread goes (under the alert's own post, or a root the bot writes). */
export type AlertJob = {
  alert: Alert;
  cycleId: string;
  channelId: string;
  threadTs?: string;
  rootText: string;
};

/**
 * The durable job queue. Every accepted run is a `thread_jobs` row before it is acknowledged;
 * this process holds the rows it accepted with a lease it renews, runs them at most
 * `queue`'s concurrency at a time, and takes over any row whose lease expired (a crashed or
 * frozen process: the run is resumed once, its thread told). On shutdown it stops taking work,
 * lets running work finish within a grace period and hands the rest back to the database.
 */
export class JobRunner {
  /** Who holds a lease: host, pid and a random part (a pid is reused across restarts). */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private accepting = true;
  private timer: NodeJS.Timeout | undefined;
  /** Jobs this process opened: their live progress reporter, and who waits for the job to end here. */
  private local = new Map<string, { thread?: OpenedThread; settle: () => void }>();
  /** Jobs queued again here because their worker died: their resumed thread is told so. */
  private workerDied = new Set<string>();
  private readonly now: () => number;

  constructor(
    private readonly deps: RunDeps,
    private readonly options: JobRunnerOptions,
  ) {
    this.now = options.now ?? Date.now;
    deps.queue.onFree(() => this.kick());
  }

  private get db() {
    return this.deps.runtime.db;
  }

  private lease() {
    return { owner: this.owner, until: this.now() + this.options.leaseMs };
  }

  /** Starts the heartbeat, and at once takes whatever the database holds for a live process to do. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), Math.max(100, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
    this.tick();
  }

  /** Renews this process's leases, retries threads due to be opened, and fills free run slots. */
  tick(): void {
    if (!this.accepting) return;
    try {
      renewLeases(this.db, this.owner, this.now(), this.options.leaseMs);
      for (;;) {
        const job = claimOpeningJob(this.db, this.owner, this.now(), this.options.leaseMs);
        if (!job) break;
        void this.open(job.id);
      }
      this.kick();
    } catch (err) {
      this.deps.logger.warn({ err }, 'job heartbeat failed; trying again at the next one');
    }
  }

  /** How many runs would go before a new one (0: it starts at once). */
  waitingAhead(): number {
    if (!this.deps.queue.saturated) return 0;
    return jobCounts(this.db).queued + this.deps.queue.depth + 1;
  }

  /**
   * Accepts an alert cycle's run: the job row exists when this returns `started`. `duplicate`: the
   * cycle already has an unfinished job. The thread is then opened, retried with back-off if
   * Slack refuses; this waits for the first attempt at most `waitMs`, so the webhook answers in
   * time however slow Slack is (its 429 back-off goes on after the answer).
   */
  async acceptAlert(job: AlertJob, waitMs: number): Promise<'started' | 'duplicate'> {
    const id = `job_${randomUUID()}`;
    const inserted = this.insert({
      id,
      alert: job.alert,
      cycleId: job.cycleId,
      monitorId: job.alert.monitorId,
      channelId: job.channelId,
      threadTs: job.threadTs,
      rootText: job.rootText,
      priority: priorityRank(job.alert.priority),
      state: 'opening',
    });
    if (!inserted) return 'duplicate';
    const opened = this.open(id);
    if (!Number.isFinite(waitMs)) await opened;
    else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([opened, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    }
    return 'started';
  }

  /** A run whose thread a person's request already opened; resolves when it ends in this process. */
  enqueueOpened(
    job: Omit<NewJob, 'id' | 'priority' | 'state' | 'alert'> & { alert: Alert },
    thread: OpenedThread,
  ): Promise<void> {
    const id = `job_${randomUUID()}`;
    const ended = new Promise<void>((settle) => this.local.set(id, { thread, settle }));
    this.insert({ ...job, id, priority: priorityRank(job.alert.priority), state: 'queued' });
    this.kick();
    return ended;
  }

  private insert(job: NewJob): boolean {
    const secrets = this.deps.runtime.secrets;
    const stored = {
      ...job,
      alert: redactDeep(job.alert, secrets),
      followUp: redactDeep(job.followUp, secrets),
    };
    return this.db
      .transaction(() => {
        if (!insertJob(this.db, stored, this.lease(), new Date(this.now()))) return false;
        if (job.cycleId && job.monitorId) coalesceOlder(this.db, { id: job.id, monitorId: job.monitorId });
        markOverflow(this.db, this.options.maxQueued);
        return true;
      })
      .immediate();
  }

  /** Posts what the thread still lacks (the root, the first reply); never throws. */
  private async open(id: string): Promise<void> {
    const job = getJob(this.db, id);
    if (job?.state !== 'opening') return;
    try {
      let threadTs = job.threadTs ?? undefined;
      if (!threadTs) {
        const root = await this.deps.client.chat.postMessage({
          channel: job.channelId,
          text: job.rootText ?? '',
        });
        if (!root.ts) throw new Error('Slack did not return a ts for the root message');
        threadTs = root.ts;
        setJobThread(this.db, id, { threadTs });
      }
      if (!job.replyTs) {
        const reply = await this.deps.client.chat.postMessage({
          channel: job.channelId,
          thread_ts: threadTs,
          text: firstReplyText(job.verdict ? 0 : Math.max(0, this.waitingAhead() - 1)),
        });
        if (!reply.ts) throw new Error('Slack did not return a ts for the first reply');
        setJobThread(this.db, id, { replyTs: reply.ts });
      }
      if (job.cycleId) markThreadOpened(this.db, job.cycleId, job.channelId, threadTs);
      markJobQueued(this.db, id);
      this.kick();
    } catch (err) {
      const delay = openRetryDelay(job.openAttempts, this.options.openBackoffMs);
      if (delay === undefined) {
        // Given up: the cycle is left unhandled, so DataDog's next notification opens it afresh.
        if (job.cycleId) releaseClaim(this.db, job.cycleId);
        finishJob(this.db, id, 'failed', new Date(this.now()));
        this.deps.logger.error(
          { err, job: id },
          'could not open the alert thread; the cycle stays retryable',
        );
        return;
      }
      deferOpening(this.db, id, this.now() + delay);
      this.deps.logger.warn({ err, job: id, retryInMs: delay }, 'could not open the alert thread; retrying');
      setTimeout(() => this.tick(), delay).unref();
    }
  }

  /** Fills free run slots with claimed jobs. */
  kick(): void {
    while (this.accepting && !this.deps.queue.saturated) {
      const job = claimNextJob(this.db, this.owner, this.now(), this.options.leaseMs);
      if (!job) return;
      void this.deps.queue
        .run(() => this.execute(job))
        .catch((err) => this.deps.logger.error({ err, job: job.id }, 'job failed'));
    }
  }

  private async execute(job: ThreadJob): Promise<void> {
    const local = this.local.get(job.id);
    const alert = job.alert as Alert;
    let again = false;
    try {
      if (job.verdict === 'coalesced' || job.verdict === 'overflow') {
        await this.answerWithNotice(job, NOTICE_TEXT[job.verdict]);
        finishJob(this.db, job.id, job.verdict, new Date(this.now()));
        return;
      }
      const thread = local?.thread && job.runs === 1 ? local.thread : await this.reattach(job);
      const ok = await runInThread(this.deps, alert, thread, job.followUp ?? undefined, (investigationId) =>
        setJobInvestigation(this.db, job.id, investigationId),
      );
      finishJob(this.db, job.id, ok ? 'answered' : 'failed', new Date(this.now()));
    } catch (err) {
      if (err instanceof RunInterrupted) {
        again = await this.interrupted(job, err);
        return;
      }
      // Slack refused even the progress message: the thread cannot be told; the log must.
      this.deps.logger.error({ err, job: job.id }, 'could not run the job in its thread');
      finishJob(this.db, job.id, 'failed', new Date(this.now()));
    } finally {
      if (!again) {
        local?.settle();
        this.local.delete(job.id);
      }
    }
  }

  /**
   * The worker running the job died. While this process runs, the job is queued again (it keeps
   * its lease, and its thread hears why it starts over), up to a bound; at shutdown it is left
   * as it is, for the next process to resume. Resolves whether the job will run again here.
   */
  private async interrupted(job: ThreadJob, err: RunInterrupted): Promise<boolean> {
    if (!this.accepting) return false;
    const maxRuns = this.options.maxRunsAfterWorkerCrash ?? SLACK_DEFAULTS.maxRunsAfterWorkerCrash;
    if (job.runs < maxRuns) {
      this.deps.logger.warn(
        { err, job: job.id, runs: job.runs },
        'investigation worker died; running the job again',
      );
      this.workerDied.add(job.id);
      markJobQueued(this.db, job.id);
      return true;
    }
    const gaveUp = new Error(NOTICE_TEXT.workerGaveUp);
    await warnThread(this.deps, job.alert as Alert, job.channelId, job.threadTs!, gaveUp);
    finishJob(this.db, job.id, 'failed', new Date(this.now()));
    return false;
  }

  /** The notice replaces the "Queued…" reply (or is posted, when that cannot be edited). */
  private async answerWithNotice(job: ThreadJob, text: string): Promise<void> {
    const channel = job.channelId;
    if (job.replyTs)
      try {
        await this.deps.client.chat.update({ channel, ts: job.replyTs, text });
        return;
      } catch (err) {
        this.deps.logger.warn({ err, job: job.id }, 'could not edit the first reply; posting the notice');
      }
    await this.deps.client.chat.postMessage({ channel, thread_ts: job.threadTs ?? undefined, text });
  }

  /**
   * A job run without its opener's live reporter: by another process, or after a restart. A
   * resumed run (one that had started before) tells its thread, retires the interrupted
   * investigation and replaces the stale progress message with fresh progress.
   */
  private async reattach(job: ThreadJob): Promise<OpenedThread> {
    const channel = job.channelId;
    const threadTs = job.threadTs!;
    const where = placeOf(this.deps, channel, threadTs);
    const resumed = job.runs > 1;
    const workerDied = this.workerDied.delete(job.id);
    if (resumed) {
      if (job.investigationId) markResumed(this.db, job.investigationId);
      await this.deps.client.chat
        .postMessage({
          channel,
          thread_ts: threadTs,
          text: workerDied ? NOTICE_TEXT.workerDied : NOTICE_TEXT.restarted,
        })
        .catch((err) => this.deps.logger.warn({ err }, 'could not tell the thread about the restart'));
    }
    const first = !resumed
      ? 'Looking at the alert…'
      : workerDied
        ? 'Starting again after the investigation worker stopped…'
        : 'Starting again after a restart…';
    const text = progressText([first]);
    let ts = job.replyTs ?? undefined;
    if (ts)
      // blocks: [] clears a first answer the interrupted run had shown (hybrid runs).
      await this.deps.client.chat.update({ channel, ts, text, blocks: [] }).catch(() => {
        ts = undefined;
      });
    if (!ts) {
      ts = (await this.deps.client.chat.postMessage({ channel, thread_ts: threadTs, text })).ts;
      if (!ts) throw new Error('Slack did not return a ts for the progress message');
      setJobThread(this.db, job.id, { replyTs: ts });
    }
    return { channel, threadTs, progress: updatingReporter(where, ts), receivedAt: this.now() };
  }

  /**
   * SIGTERM: takes no new work, lets running jobs finish within `graceMs`, then hands every job
   * this process still holds back to the database (lease expired), so the next process to start
   * resumes them at once. Resolves true when nothing was left running.
   */
  async stop(graceMs: number = SLACK_DEFAULTS.shutdownGraceMs): Promise<boolean> {
    this.accepting = false;
    if (this.timer) clearInterval(this.timer);
    const finished = await this.deps.queue.drain(graceMs);
    try {
      releaseLeases(this.db, this.owner);
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not hand back the jobs; their leases will expire');
    }
    for (const l of this.local.values()) l.settle();
    this.local.clear();
    return finished;
  }

  /** What /healthz shows: jobs waiting (all processes), the oldest wait, runs in progress, recent timings. */
  stats() {
    const counts = jobCounts(this.db);
    const { queueDepth: _inMemory, running: _here, ...timings } = this.deps.queue.stats();
    return {
      queueDepth: counts.queued,
      oldestWaitMs: counts.oldestQueuedAt ? Math.max(0, this.now() - Date.parse(counts.oldestQueuedAt)) : 0,
      running: counts.running,
      runningHere: this.deps.queue.active,
      ...timings,
    };
  }
}
