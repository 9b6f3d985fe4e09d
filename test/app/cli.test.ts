import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, runCli } from '../../app/cli';

/** Captures what a CLI run writes to stderr without letting it reach the test output. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return { code: await runCli(argv), stderr };
  } finally {
    process.stderr.write = write;
    process.stdout.write = stdoutWrite;
  }
}

describe('the sre command line', () => {
  it('prints help and exits 0', async () => {
    expect((await run(['--help'])).code).toBe(0);
  });

  it('rejects an unknown flag with exit code 2 and a clear message', async () => {
    const { code, stderr } = await run(['--definitely-not-a-flag']);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/unknown option '--definitely-not-a-flag'/);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const { code, stderr } = await run(['frobnicate']);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/frobnicate|too many arguments|unknown command/);
  });
});
