import type { ChatRequest, ModelPolicy, ScriptedReply } from './routes/openai';

/**
 * Scripted models that play a whole investigation in any world, for evals and benchmarks of
 * the model path without a model: they read the request (the alert, the briefing, the evidence
 * list) and answer as a careful model would, deterministically.
 */
const SUMMARY_REQUEST = /Write the final summary now/;

const text = (m: ChatRequest['messages'][number] | undefined) =>
  typeof m?.content === 'string' ? m.content : '';
const offered = (req: ChatRequest, name: string) => (req.tools ?? []).some((t) => t.function.name === name);
const turns = (req: ChatRequest) => req.messages.filter((m) => m.role === 'assistant').length;

function summary(
  suspects: { kind: string; ref: string; evidence: string[] }[],
  headline: string,
): ScriptedReply {
  return {
    content: JSON.stringify({
      headline,
      rootCause: suspects.length
        ? `The scripted model agrees: ${suspects[0]!.kind} ${suspects[0]!.ref} explains the onset and the new errors.`
        : 'Inconclusive: nothing the scripted model read stands out.',
      confidence: suspects.length ? 'medium' : 'none',
      suspects: suspects.map((s, i) => ({ ...s, title: `${s.kind} ${s.ref}`, score: 0.9 - i * 0.1 })),
      impact: 'as the alert says',
      nextSteps: [],
      similarIncidents: [],
      runbooks: [],
    }),
  };
}

/**
 * Hybrid refinement: re-rank and read the rollouts with the analysis tools, then confirm the
 * briefing's top suspect with the evidence ids it cites.
 */
export function confirmingRefiner(): ModelPolicy {
  return (req) => {
    const opening = text(req.messages.find((m) => m.role === 'user'));
    if (SUMMARY_REQUEST.test(text(req.messages.at(-1)))) {
      const top = /^1\. (\w+) (\S+).*\[([^\]]*)\]$/m.exec(opening);
      return top
        ? summary(
            [{ kind: top[1]!, ref: top[2]!, evidence: top[3]!.split(', ').filter(Boolean) }],
            'Confirmed',
          )
        : summary([], 'Nothing conclusive');
    }
    if (turns(req) === 0 && offered(req, 'analysis_rescore'))
      return {
        content: 'Re-rank the suspects over the evidence and read what the rollouts shipped.',
        toolCalls: [
          { name: 'analysis_rescore', arguments: {} },
          { name: 'analysis_rollout_commits', arguments: {} },
        ],
      };
    return { content: 'The re-ranked evidence agrees with the first answer.' };
  };
}

/**
 * An investigation from nothing with the raw tools, as a model does it without the evidence
 * model: the alert's metric, logs and traces; then the changes around it across the catalog;
 * then past incidents and runbooks; then it names the newest change it read.
 */
export function rawInvestigator(): ModelPolicy {
  return (req) => {
    const opening = text(req.messages.find((m) => m.role === 'user'));
    const service = /^Service: ([\w.-]+)/m.exec(opening)?.[1];
    const query = /^Query: (.+)$/m.exec(opening)?.[1];
    const monitor = /^Monitor id: (\d+)/m.exec(opening)?.[1];
    const related = [...opening.matchAll(/^- ([\w.-]+): repos/gm)].map((m) => m[1]!);
    if (SUMMARY_REQUEST.test(text(req.messages.at(-1)))) {
      const change = [...text(req.messages.at(-1)).matchAll(/^(ev_\d+) \(github\.changes\)/gm)][0]?.[1];
      return summary(
        change && service ? [{ kind: 'unknown', ref: service, evidence: [change] }] : [],
        'A change around the onset',
      );
    }
    const call = (name: string, args: Record<string, unknown>) =>
      offered(req, name) ? [{ name, arguments: args }] : [];
    switch (turns(req)) {
      case 0:
        return {
          content: 'Establish the onset and the error signature first.',
          toolCalls: [
            ...(monitor ? call('datadog_monitor', { id: Number(monitor) }) : []),
            ...(query ? call('datadog_metrics', { query }) : []),
            ...(service ? call('datadog_logs', { query: `service:${service} status:error` }) : []),
            ...(service ? call('datadog_spans', { query: `service:${service}` }) : []),
          ],
        };
      case 1:
        return {
          content: 'Now every change around the onset, in the service and the services near it.',
          toolCalls: [
            ...related.slice(0, 4).flatMap((s) => call('github_changes', { service: s })),
            ...call('datadog_events', {}),
            ...call('flags_changes', {}),
          ],
        };
      case 2:
        return {
          content: 'Check past incidents and runbooks for the same symptom.',
          toolCalls: [
            ...call('rootly_incidents', { query: `${service ?? ''} errors` }),
            ...call('knowledge_search', { query: `${service ?? ''} errors runbook` }),
            ...(service ? call('datadog_logs', { query: `service:${service} status:warn` }) : []),
          ],
        };
      default:
        return { content: 'The newest change in the alerting service lines up with the onset.' };
    }
  };
}
