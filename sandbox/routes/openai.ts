import { LocalEmbedder } from '../../indexer/embed/local';
import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';

/**
 * An OpenAI-compatible endpoint driven by a script, so the real `openai` client can be tested:
 * each chat completion request consumes the next scripted reply (tool calls, text, or a failure).
 * A reply may be held until a promise settles (`hold`: tests order events without clocks), and
 * the world may set a latency (benchmarks: a model's time per call and streaming speed).
 */
export type ScriptedReply = (
  | { content?: string; toolCalls?: { name: string; arguments: string | Record<string, unknown> }[] }
  | { status: number; message?: string }
) & {
  /** Called when the request this reply answers arrives (tests act at that moment). */
  onArrival?: () => void;
  hold?: Promise<unknown>;
};

export const SCRIPT_KEY = 'openai.script';
export const POLICY_KEY = 'openai.policy';
export const LATENCY_KEY = 'openai.latency';

/** The request a policy sees: the chat completion body as the client sent it. */
export type ChatRequest = {
  model?: string;
  messages: { role: string; content?: string | null; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
};

/** Answers any request the script does not (evals and benchmarks: one reply per request, whatever the world). */
export type ModelPolicy = (request: ChatRequest) => ScriptedReply;

/** How slow the scripted model is: a fixed time per call plus its completion streamed at a rate. */
export type ModelLatency = {
  perCallMs: number;
  tokensPerSecond: number;
  /** Waits (injectable; default a timer). */
  sleep?: (ms: number) => Promise<void>;
};

export function setScript(world: SandboxWorld, replies: ScriptedReply[]): void {
  world.state.set(SCRIPT_KEY, [...replies]);
}

export function setModelPolicy(world: SandboxWorld, policy: ModelPolicy | undefined): void {
  world.state.set(POLICY_KEY, policy);
}

export function setModelLatency(world: SandboxWorld, latency: ModelLatency | undefined): void {
  world.state.set(LATENCY_KEY, latency);
}

const timer = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What a reply's completion tokens are counted from: its text and its tool calls' names and arguments. */
function replyText(reply: { content?: string; toolCalls?: { name: string; arguments: unknown }[] }): string {
  return `${reply.content ?? ''}${JSON.stringify(
    (reply.toolCalls ?? []).map((c) => ({
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    })),
  )}`;
}

function usageOf(req: SandboxRequest, completion: string) {
  const prompt = Math.ceil(req.rawBody.length / 4);
  const out = Math.max(1, Math.ceil(completion.length / 4));
  return { prompt_tokens: prompt, completion_tokens: out, total_tokens: prompt + out };
}

async function chat(req: SandboxRequest, world: SandboxWorld): Promise<SandboxResponse> {
  if (!String(req.headers.authorization ?? '').startsWith('Bearer '))
    return json({ error: { message: 'Missing API key', type: 'invalid_request_error' } }, 401);
  const script = (world.state.get(SCRIPT_KEY) as ScriptedReply[] | undefined) ?? [];
  const policy = world.state.get(POLICY_KEY) as ModelPolicy | undefined;
  const reply: ScriptedReply = script.shift() ??
    policy?.(req.body as ChatRequest) ?? { content: 'No scripted reply left.' };
  reply.onArrival?.();
  await reply.hold;
  const latency = world.state.get(LATENCY_KEY) as ModelLatency | undefined;
  if (latency) {
    const completion = 'status' in reply ? 0 : usageOf(req, replyText(reply)).completion_tokens;
    await (latency.sleep ?? timer)(latency.perCallMs + (completion / latency.tokensPerSecond) * 1000);
  }
  if ('status' in reply)
    return json(
      { error: { message: reply.message ?? 'scripted failure', type: 'server_error' } },
      reply.status,
    );
  const body = (req.body ?? {}) as { model?: string; stream?: boolean };
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: `call_${Date.now().toString(36)}_${i}`,
    type: 'function' as const,
    function: {
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
  const content = reply.content ?? null;
  const usage = usageOf(req, replyText(reply));
  const id = `chatcmpl-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? 'scripted';
  const finish = toolCalls.length ? 'tool_calls' : 'stop';
  if (!body.stream) {
    return json({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, tool_calls: toolCalls.length ? toolCalls : undefined },
          finish_reason: finish,
        },
      ],
      usage,
    });
  }
  const chunks: unknown[] = [];
  const delta = (d: Record<string, unknown>, finishReason: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta: d, finish_reason: finishReason }],
  });
  chunks.push(delta({ role: 'assistant', content: '' }));
  for (const piece of (content ?? '').match(/.{1,12}/gs) ?? []) chunks.push(delta({ content: piece }));
  toolCalls.forEach((c, index) => {
    chunks.push(
      delta({
        tool_calls: [
          { index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of c.function.arguments.match(/.{1,16}/gs) ?? [])
      chunks.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(delta({}, finish));
  chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`,
  };
}

const embedder = new LocalEmbedder(384);

function embeddings(req: SandboxRequest): SandboxResponse {
  const body = (req.body ?? {}) as {
    input?: string | string[];
    model?: string;
    encoding_format?: string;
    dimensions?: number;
  };
  const inputs = Array.isArray(body.input)
    ? body.input
    : typeof body.input === 'string'
      ? [body.input]
      : undefined;
  if (!inputs) return json({ error: { message: "'input' is required", type: 'invalid_request_error' } }, 400);
  const dims = body.dimensions ?? 384;
  const e = dims === 384 ? embedder : new LocalEmbedder(dims);
  const data = inputs.map((text, index) => {
    const v = e.embedOne(String(text));
    return {
      object: 'embedding',
      index,
      embedding: body.encoding_format === 'base64' ? Buffer.from(v.buffer).toString('base64') : Array.from(v),
    };
  });
  return json({
    object: 'list',
    data,
    model: body.model ?? 'sandbox-embedding',
    usage: { prompt_tokens: inputs.join(' ').length >> 2, total_tokens: inputs.join(' ').length >> 2 },
  });
}

export const routes: Route[] = [
  { method: 'POST', pattern: '/v1/chat/completions', handler: chat },
  { method: 'POST', pattern: '/v1/embeddings', handler: embeddings },
  {
    method: 'GET',
    pattern: '/v1/models',
    handler: () => json({ object: 'list', data: [{ id: 'scripted', object: 'model', owned_by: 'sandbox' }] }),
  },
];
