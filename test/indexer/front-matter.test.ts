import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../indexer/front-matter';

describe('parseFrontMatter', () => {
  it('reads YAML front matter and the body after it', () => {
    expect(parseFrontMatter('---\ntitle: "Runbook: foo"\ntags: [a, b]\n---\n# Foo\nbody')).toEqual({
      meta: { title: 'Runbook: foo', tags: ['a', 'b'] },
      body: '# Foo\nbody',
    });
    expect(parseFrontMatter('# No front matter\n---\nnot: meta')).toEqual({
      meta: {},
      body: '# No front matter\n---\nnot: meta',
    });
  });

  it('reads front matter that is not valid YAML as plain key: value lines, and says so', () => {
    const page = parseFrontMatter(
      "---\ntitle: Runbook: foo\nurl: 'https://wiki/x?a=b'\n  nested: ignored\nowner:\n---\nbody",
    );
    expect(page.meta).toEqual({ title: 'Runbook: foo', url: 'https://wiki/x?a=b' });
    expect(page.body).toBe('body');
    expect(page.warning).toMatch(
      /^front matter is not valid YAML \(.+\); its key: value lines were read as plain text$/,
    );
  });

  it('ignores front matter that is not a mapping, with a warning', () => {
    expect(parseFrontMatter('---\n- a\n- b\n---\nbody')).toEqual({
      meta: {},
      body: 'body',
      warning: 'front matter is not a list of key: value fields; it was ignored',
    });
  });
});
