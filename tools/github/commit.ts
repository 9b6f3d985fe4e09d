import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { describeGithubError, type GithubConfig, githubClient } from './client';
import { boundedPatches } from './patch';

const MAX_PATCH_CHARS = 2_500;

export function commitTool(cfg: GithubConfig, retryBaseMs?: number): Tool {
  return defineTool({
    name: 'github.commit',
    integration: 'github',
    description:
      "Show one commit: its message, author, time, files changed and a bounded patch. Use it to check whether a suspect change touches the code in the error's stack trace.",
    input: z.object({
      repo: z
        .string()
        .regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name')
        .describe('Repository as owner/name'),
      sha: z
        .string()
        .regex(/^[0-9a-f]{7,40}$/i, 'expected a commit sha (7-40 hex characters)')
        .describe('Commit sha'),
    }),
    async run({ repo, sha }, ctx) {
      const [owner, name] = repo.split('/') as [string, string];
      try {
        const { data: c } = await githubClient(cfg, ctx.signal, retryBaseMs).repos.getCommit({
          owner,
          repo: name,
          ref: sha,
        });
        const patched = boundedPatches(c.files ?? [], MAX_PATCH_CHARS);
        const files = patched.files.map(
          (f) => `--- ${f.filename} (+${f.additions} -${f.deletions})${f.patch ? `\n${f.patch}` : ''}`,
        );
        return {
          ok: true,
          summary: `${c.sha} by ${c.author?.login ?? c.commit.author?.name} at ${c.commit.author?.date}\n${c.commit.message}\n${files.join('\n')}`,
          data: {
            sha: c.sha,
            message: c.commit.message,
            files: patched.files,
          },
          citations: [
            { source: 'github', ref: c.sha, title: c.commit.message.split('\n')[0]!, url: c.html_url },
          ],
          truncated: patched.truncated,
        };
      } catch (err) {
        return failure(describeGithubError(err, `commit ${sha} in ${repo}`));
      }
    },
  });
}
