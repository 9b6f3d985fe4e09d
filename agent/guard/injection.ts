/**
 * Detects text in tool output that tries to instruct the model. We never obey tool output; this
 * flags it so the summary can warn the reader about the source.
 */
const PATTERNS: [label: string, re: RegExp][] = [
  [
    'ignore-instructions',
    /\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|earlier|all|your)\b.{0,20}\b(instructions?|prompts?|rules|directions)/i,
  ],
  ['role-override', /\b(you are now|act as|pretend to be|from now on you)\b/i],
  ['system-prompt', /\b(system prompt|developer message|reveal your (?:prompt|instructions))\b/i],
  ['fake-role-tag', /(^|\n)\s*(system|assistant|developer)\s*:/i],
  [
    'tool-call-text',
    /\b(call|invoke|use|run) (the )?(tool|function)\b|"tool_calls"|<\/?tool_call>|\bAction Input:/i,
  ],
  [
    'exfiltration',
    /\b(print|reveal|send|post|leak|output)\b.{0,40}\b(secrets?|api[_ ]?keys?|tokens?|env(ironment)?( variables)?|passwords?|credentials)\b/i,
  ],
  ['command', /\b(run|execute)\b.{0,30}\b(rm -rf|curl|wget|bash|sh -c|kubectl delete|drop table)\b/i],
  [
    'final-answer-hijack',
    /\b(final answer|root cause is|conclude that|mark (this|it) as resolved)\b.{0,60}\b(must|should|always)\b/i,
  ],
];

export type InjectionFlag = { label: string; excerpt: string };

export function detectInjection(text: string): InjectionFlag[] {
  const flags: InjectionFlag[] = [];
  for (const [label, re] of PATTERNS) {
    const m = re.exec(text);
    if (m) {
      const start = Math.max(0, m.index - 30);
      flags.push({
        label,
        excerpt: text
          .slice(start, m.index + m[0].length + 30)
          .replace(/\s+/g, ' ')
          .trim(),
      });
    }
  }
  return flags;
}
