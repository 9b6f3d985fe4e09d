/**
 * An investigation that did not end, neither with a result nor with an error of its own: the
 * worker thread running it died (a crash, out of memory) or was stopped at shutdown. The job
 * that asked for it is not failed: it is run again.
 */
export class RunInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunInterrupted';
  }
}
