/**
 * Every threshold of the series and log analysis, named and explained in one place. None names
 * a metric, service or vendor: they describe shapes of data (counts, ratios, gauges, log lines).
 */
export const ONSET_DEFAULTS = {
  /**
   * Points a baseline needs before a departure from it can be called an onset. Ten points give a
   * median and MAD that one or two odd points cannot move; fewer and the answer is "not enough
   * baseline", never a guess.
   */
  minBaselinePoints: 10,
  /** The baseline is the up-to-this-many points before a candidate onset (an hour of minutes). */
  maxBaselinePoints: 60,
  /** A departure must hold this many consecutive points; one or two odd points are a spike. */
  sustainPoints: 3,
  /**
   * A sustained run starts an onset when its points average this robust z-score (and none is
   * below walkBackZ). The mean of three independent points reaches 3 sigma by chance about once
   * in 10^7 positions, yet a 4-sigma drop of a Poisson count is seen at once.
   */
  departureZ: 3,
  /**
   * Every point of the run, and every earlier point the onset is walked back over, must be at
   * least this far out: the onset lands on the first point of a ramp, not on the run that made
   * the departure certain.
   */
  walkBackZ: 2,
  /**
   * Counts also start an onset with a longer run: this many points whose mean z-score times
   * sqrt(points / sustainPoints) reaches departureZ (the same one-in-10^7 chance). It sees a 40% drop of 20 a minute, which no three points show. Only for
   * counts: their Poisson noise is independent from point to point, a wandering gauge's is not.
   */
  longRunPoints: 10,
  /** ...from this level up: below it Poisson counts are too skewed for a mean to be judged by its z-score. */
  longRunMinLevel: 10,
  /** After an onset, the event continues through gaps of at most this many calm points. */
  calmPointsToEnd: 2,
  /** The change must also be this large relative to the baseline level, so tiny wiggles on big gauges do not count. */
  minRelativeChange: 0.2,
  /**
   * Departures less than this apart are one episode (a flapping service, pods failing one after
   * another): the episode's onset is its first departure, however strong the later ones are.
   */
  episodeGapMs: 15 * 60_000,
  /** A single point (or a run shorter than sustainPoints) must reach this z-score to be reported as a spike. */
  spikeZ: 8,
  /** A sustained departure this strong (robust z of its sustained peak) is unambiguous. */
  strongZ: 6,
  /**
   * The onset is "the change point" when it sits at most this many points before the middle of
   * the change; further back, it was walked back through a ramp ("first departure").
   */
  rampPoints: 2,
  /** A hole in the data longer than this many typical steps just before the onset makes its time uncertain. */
  gapSteps: 3,
  /** A series whose points stop this many typical steps before the window's end stopped reporting. */
  stoppedSteps: 5,
  /** A ratio near zero has no measurable spread: a tenth of a percentage point is its noise floor. */
  ratioFloor: 0.001,
  /** A flat gauge (a pool size, a replica count) has no spread either: 1% of its level is its floor. */
  gaugeRelativeFloor: 0.01,
  /**
   * Monitors evaluate a trailing window and notify after it: the onset may follow the alert's
   * time by at most this much (clock skew, rollups) and still be the alert's cause.
   */
  alertSkewMs: 5 * 60_000,
  /** An onset within this long before the alert agrees with it; earlier than this is a slow burn (or a mistake). */
  alertLeadMs: 30 * 60_000,
  /** The first new error signature agrees with the onset when it is this close to it. */
  newErrorAgreementMs: 10 * 60_000,
} as const;

export type OnsetOptions = { [K in keyof typeof ONSET_DEFAULTS]: number };

export const LOG_PATTERN_DEFAULTS = {
  /**
   * A pattern is new only when its window count is this improbable under "the same rate as the
   * baseline" (a two-sample Poisson test on the counts, window against baseline exposure). With
   * equal windows and none before: two or four stray lines are not (p = 0.25, 0.06); five are
   * (p = 0.03). A short baseline proves little: three lines in an hour against a 5-minute
   * baseline with none give p = 0.79.
   */
  newPatternPValue: 0.05,
  /** ...and its rate (per ms, window against baseline) rose at least this many times. */
  newPatternRateRatio: 5,
  /**
   * ...and it occurred at least this often: below it the test's tail is too coarse to trust even
   * when the baseline window dwarfs the window (two lines against a day of silence).
   */
  newPatternMinCount: 3,
  /** Lines of one event (a stack trace logged line by line) arrive within this long of each other. */
  continuationGapMs: 1_000,
  /** Messages longer than this are cut before masking: patterns are decided by their start. */
  maxMaskedChars: 600,
  /** A quoted string longer than this is free text (a payload, a query), masked whole. */
  maxQuotedChars: 64,
  /** Frames kept per pattern: enough to see the throwing frame and its callers. */
  maxFrames: 10,
} as const;

export const STACK_DEFAULTS = {
  /**
   * Stack text read per trace. The throwing frame and its callers sit in the first few KB; a
   * bound keeps a hostile or runaway trace (a recursion of 10^5 frames) from costing more.
   */
  maxChars: 32_000,
  /** A longer line is no frame any runtime prints (a minified bundle line, a payload): skipped. */
  maxLineChars: 1_000,
  /** Frames kept per trace; deeper callers add nothing a matcher could weigh. */
  maxFrames: 200,
} as const;

/**
 * Where a frame's code comes from decides whether it can be the throwing frame: a frame inside a
 * dependency or the runtime is where the error surfaced, not the code that caused it.
 */
export const VENDOR_CODE = {
  /** Path fragments of installed dependencies and runtimes (Node, Python, Ruby, Go, vendored copies). */
  pathMarkers: [
    'node_modules/',
    'node:',
    'site-packages/',
    'dist-packages/',
    '/lib/python',
    '<frozen ',
    '/gems/',
    '/lib/ruby/',
    '/rubygems/',
    '/usr/local/go/src/',
    '/usr/lib/go/src/',
    '/go/src/runtime/',
    '/pkg/mod/',
    'vendor/',
  ],
  /** Paths that start like this are Node's own internals (`internal/process/task_queues.js`). */
  pathPrefixes: ['internal/'],
  /**
   * Qualified names of platform and widely used library code on the JVM and .NET, where frames
   * name classes rather than files. Application packages are whatever is not listed.
   */
  namePrefixes: [
    'java.',
    'javax.',
    'jdk.',
    'sun.',
    'com.sun.',
    'kotlin.',
    'kotlinx.',
    'scala.',
    'org.springframework.',
    'org.apache.',
    'org.hibernate.',
    'org.postgresql.',
    'com.zaxxer.',
    'com.fasterxml.',
    'io.netty.',
    'io.grpc.',
    'reactor.',
    'okhttp3.',
    'System.',
    'Microsoft.',
    'runtime.',
  ],
} as const;
