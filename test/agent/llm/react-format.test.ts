import { describe, expect, it } from 'vitest';
import { firstJsonObject, parseReact } from '../../../agent/llm/react-format';

describe('text-ReAct parsing', () => {
  it('reads several actions with nested JSON inputs', () => {
    const turn = parseReact(
      'Thought: two things\nAction: a_b\nAction Input: {"q": "x {y}", "n": {"m": 1}}\nAction: c\nAction Input: {}',
    );
    expect(turn).toEqual({
      thought: 'two things',
      actions: [
        { name: 'a_b', arguments: '{"q": "x {y}", "n": {"m": 1}}' },
        { name: 'c', arguments: '{}' },
      ],
      final: undefined,
    });
  });

  it('reads a final answer, and treats plain text as an answer', () => {
    expect(parseReact('Thought: done\nFinal Answer: it was the flag')).toMatchObject({
      actions: [],
      final: 'it was the flag',
    });
    expect(parseReact('I think the cache is cold.')).toMatchObject({
      actions: [],
      thought: 'I think the cache is cold.',
    });
  });

  it('finds the first balanced JSON object, ignoring braces inside strings', () => {
    expect(firstJsonObject('x {"a": "}"} tail')).toBe('{"a": "}"}');
    expect(firstJsonObject('no json')).toBeUndefined();
  });
});
