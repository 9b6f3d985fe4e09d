import { STACK_DEFAULTS, VENDOR_CODE } from './defaults';

/**
 * Parses the stack traces runtimes print (Node/JS, Java/JVM, Python, Go, Ruby, .NET) into frames,
 * and marks the throwing frame: the innermost frame of application code in the root cause. Pure.
 *
 * Stack text comes from logs, so it is untrusted: it is cut to STACK_DEFAULTS bounds, read line
 * by line, and every pattern below is anchored and free of nested quantifiers (linear time).
 */
export type StackLanguage = 'javascript' | 'java' | 'python' | 'go' | 'ruby' | 'dotnet';

export type StackFrame = {
  /** The source path as printed, with `\` as `/` and URL schemes (`file://`, `webpack:///`) removed; JVM frames get their package path (`com/acme/Foo.java`). */
  file: string;
  line?: number;
  fn?: string;
  language: StackLanguage;
  /** The innermost application frame of the root cause: where the failing code is. */
  isThrowing: boolean;
  /** Dependency or runtime code (node_modules, site-packages, gems, the JDK, Go's runtime...). */
  isVendor: boolean;
};

type Draft = Omit<StackFrame, 'isThrowing' | 'isVendor'>;

/**
 * A run of frames under one header. Java's `Caused by:` and Node's `[cause]:` open a cause
 * section (the root cause is the last one); Python's chained tracebacks and .NET's inner
 * exceptions print the root cause first. Suppressed exceptions are never the root.
 */
type Section = { frames: Draft[]; isCause: boolean; neverRoot: boolean };

export function parseStackFrames(text: unknown): StackFrame[] {
  if (typeof text !== 'string' || text === '') return [];
  const sections: Section[] = [{ frames: [], isCause: false, neverRoot: false }];
  const open = (isCause = false, neverRoot = false) => sections.push({ frames: [], isCause, neverRoot });
  let count = 0;
  let goroutines = 0;
  let goFunction: string | undefined;
  for (const raw of text.slice(0, STACK_DEFAULTS.maxChars).split('\n')) {
    if (count >= STACK_DEFAULTS.maxFrames) break;
    const line = raw.length > STACK_DEFAULTS.maxLineChars ? '' : raw.trim();
    if (line === '') {
      goFunction = undefined;
      continue;
    }
    if (line.startsWith('Caused by:') || line.startsWith('[cause]:')) open(true);
    else if (line.startsWith('Suppressed:')) open(false, true);
    else if (line.startsWith('--- End of inner exception stack trace')) open();
    else if (line.startsWith('Traceback (most recent call last)')) open();
    else if (/^goroutine \d+ \[/.test(line)) {
      // Only the first goroutine panicked; the others are bystanders dumped alongside it.
      goroutines += 1;
      if (goroutines > 1) break;
      open();
    } else {
      const frame =
        parseAtLine(line) ?? parsePythonLine(line) ?? parseGoLine(line, goFunction) ?? parseRubyLine(line);
      if (frame) {
        sections.at(-1)!.frames.push(frame);
        count += 1;
      }
      goFunction = frame ? undefined : goFunctionOf(line);
    }
  }
  return markFrames(sections);
}

function markFrames(sections: readonly Section[]): StackFrame[] {
  const marked = sections.map((s) =>
    s.frames.map((f) => ({ ...f, isThrowing: false, isVendor: isVendor(f) })),
  );
  // Search the root cause first, then the sections nearest to it: a Java cause whose own frames
  // are all library code ("... 12 more") was reached from the enclosing section's frames.
  const hasCause = sections.some((s) => s.isCause && s.frames.length > 0);
  const order = sections.map((_, i) => i).filter((i) => !sections[i]!.neverRoot);
  if (hasCause) order.reverse();
  for (const i of order) {
    const frames = marked[i]!;
    // Python prints the innermost frame last; every other runtime prints it first.
    const inOrder = frames[0]?.language === 'python' ? [...frames].reverse() : frames;
    const throwing = inOrder.find((f) => !f.isVendor);
    if (throwing) {
      throwing.isThrowing = true;
      break;
    }
  }
  return marked.flat();
}

function isVendor(f: Draft): boolean {
  if (VENDOR_CODE.pathMarkers.some((m) => f.file.includes(m))) return true;
  if (VENDOR_CODE.pathPrefixes.some((p) => f.file.startsWith(p))) return true;
  return f.fn !== undefined && VENDOR_CODE.namePrefixes.some((p) => f.fn!.startsWith(p));
}

/** A printed location as a path: forward slashes, no URL scheme, no leading `./`. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(?:webpack-internal|webpack):\/\/\/?/, '')
    .replace(/^file:\/\//, '')
    .replace(/^\.\//, '');
}

const positive = (digits: string | undefined) => {
  const n = digits === undefined ? Number.NaN : Number(digits);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** `at ...` lines: .NET (`at A.B() in /src/B.cs:line 42`), JVM (`at a.B.c(B.java:42)`), else JS. */
function parseAtLine(line: string): Draft | null {
  if (!line.startsWith('at ')) return null;
  const rest = withoutJarSuffix(
    line
      .slice(3)
      .replace(/^async /, '')
      .trim(),
  );
  const inAt = rest.lastIndexOf(' in ');
  if (inAt > 0) {
    const m = /^(.*):line (\d+)$/.exec(rest.slice(inAt + 4));
    if (m) {
      const call = rest.slice(0, inAt);
      const paren = call.indexOf('(');
      return {
        file: normalizePath(m[1]!),
        line: positive(m[2]),
        fn: paren > 0 ? call.slice(0, paren) : call,
        language: 'dotnet',
      };
    }
  }
  const paren = rest.indexOf('(');
  if (paren > 0 && rest[paren - 1] !== ' ' && rest.endsWith(')')) return parseJvmCall(rest, paren);
  return parseJsLocation(rest);
}

/** Logback and Log4j append the jar a frame came from (` ~[app.jar:1.4.2]`): not part of the frame. */
function withoutJarSuffix(rest: string): string {
  if (!rest.endsWith(']')) return rest;
  const open = rest.lastIndexOf('[');
  const cut = rest[open - 1] === '~' ? open - 1 : open;
  return open > 0 && rest[cut - 1] === ' ' ? rest.slice(0, cut).trimEnd() : rest;
}

function parseJvmCall(rest: string, paren: number): Draft | null {
  const m = /^([\w$.-]+\.(?:java|kt|scala|groovy|clj)):(\d+)$/.exec(rest.slice(paren + 1, -1));
  if (!m) return null; // Native Method, Unknown Source, or a .NET frame without symbols: no file to match
  const qualified = rest.slice(0, paren);
  // Java 9+ prefixes the class with its module or class loader (`java.base/`, `app//`).
  const fn = qualified.slice(qualified.lastIndexOf('/') + 1);
  const parts = fn.split('.');
  const pkg = parts.slice(0, -2).join('/');
  return { file: pkg ? `${pkg}/${m[1]}` : m[1]!, line: positive(m[2]), fn, language: 'java' };
}

function parseJsLocation(rest: string): Draft | null {
  const open = rest.endsWith(')') ? rest.lastIndexOf(' (') : -1;
  const fn = open > 0 ? rest.slice(0, open) : undefined;
  const location = open > 0 ? rest.slice(open + 2, -1) : rest;
  const m = /^(.*?):(\d+)(?::\d+)?$/.exec(location);
  // A location is a path or a module URL; `<anonymous>`, `native` and eval sites name no file.
  if (!m || !/[/\\.]|^node:/.test(m[1]!) || m[1]!.includes('<anonymous>') || m[1]!.startsWith('eval at '))
    return null;
  return { file: normalizePath(m[1]!), line: positive(m[2]), fn, language: 'javascript' };
}

/** `File "/app/x.py", line 3, in charge` */
function parsePythonLine(line: string): Draft | null {
  const m = /^File "([^"]+)", line (\d+)(?:, in (\S+))?$/.exec(line);
  if (!m) return null;
  return { file: normalizePath(m[1]!), line: positive(m[2]), fn: m[3], language: 'python' };
}

/** Go prints each frame as two lines: the function, then `\t/app/x.go:12 +0x1d`. */
function parseGoLine(line: string, fn: string | undefined): Draft | null {
  const m = /^(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/.exec(line);
  if (!m) return null;
  return { file: normalizePath(m[1]!), line: positive(m[2]), fn, language: 'go' };
}

/** The function line of a Go frame: `main.(*Server).handle(0x0, ...)` or `created by main.run in goroutine 1`. */
function goFunctionOf(line: string): string | undefined {
  const created = /^created by (\S+)/.exec(line);
  if (created) return created[1];
  const paren = line.lastIndexOf('(');
  const fn = paren > 0 && line.endsWith(')') ? line.slice(0, paren) : '';
  return fn && !fn.includes(' ') ? fn : undefined;
}

/** `/app/x.rb:10:in 'Order#charge'` (Ruby 3.4) or `` from /app/x.rb:10:in `charge' `` (older). */
function parseRubyLine(line: string): Draft | null {
  const m = /^(?:from )?([^\s:][^:]*):(\d+):in [`'](.*)$/.exec(line);
  if (!m) return null;
  const close = m[3]!.indexOf("'");
  return {
    file: normalizePath(m[1]!),
    line: positive(m[2]),
    fn: close > 0 ? m[3]!.slice(0, close) : undefined,
    language: 'ruby',
  };
}
