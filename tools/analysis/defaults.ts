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

/** How strongly a change explains errors (change-match.ts): weights of each kind of link. */
export const CHANGE_MATCH_DEFAULTS = {
  /** The throwing frame's file is in the change: the failing line is code the change touched. */
  throwingFrameWeight: 2,
  /** A caller's file is in the change: on the failing path, but the fault may lie below it. */
  callerFrameWeight: 0.4,
  /** Each frame further from the throwing frame counts this much less again. */
  callerDecay: 0.6,
  /** The throwing frame's line is within frameLineSlack lines of a changed line: the hunk itself. */
  frameNearChangeBonus: 0.6,
  /** Lines a frame may sit from a changed line and still point at it (a hunk's neighbouring lines shift). */
  frameLineSlack: 3,
  /** A path and a changed file match when they share this many trailing segments (dir/file), or the whole shorter path. */
  minSuffixSegments: 2,
  /** An error message names a changed file by path (an inline frame, a module name). */
  mentionedFileWeight: 1,
  /** An identifier of the errors (MAX_POOL_SIZE, applyDiscount, db.pool.max) is in a changed line. */
  identifierWeight: 1.2,
  /** A config key the caller knows is involved is in a changed line: the change set it. */
  configKeyWeight: 1.5,
  /** A plain word of the errors is in a changed line: weak alone, telling when rare. */
  wordWeight: 0.3,
  /** A term found in a changed file's name rather than its lines counts this share of its weight. */
  fileNameFactor: 0.7,
  /** A term found only in the change's description (commit message, PR text) counts this share: words are cheap, code is not. */
  descriptionFactor: 0.5,
  /** A term seen in the baseline logs (before the onset) is everyday noise: its weight is multiplied by this. */
  baselineFactor: 0,
  /** Terms together count at most this much, so many weak words never outweigh a throwing frame. */
  termCap: 2,
  /** Evidence is squashed to a 0..1 score by 1 - exp(-evidence / evidenceScale): 2.5 (a throwing frame at the hunk) gives 0.81. */
  evidenceScale: 1.5,
  /** A change's risk prior multiplies its evidence: docs, tests, lockfiles and CI rarely break production. */
  riskMultiplier: { low: 0.4, neutral: 1, high: 1.5 },
  /** Reasons kept per change, strongest first. */
  maxReasons: 8,
  /** Characters of a changed line quoted in a reason. */
  quoteChars: 100,
  /** Characters read per error message, per patch and per baseline line: matching looks at the start. */
  maxMessageChars: 2_000,
  maxPatchChars: 40_000,
  /** Error messages, stacks and baseline lines read at most. */
  maxMessages: 200,
  maxStacks: 20,
  maxBaselineLines: 2_000,
} as const;

/**
 * Words that never count as evidence linking errors to a change, however rare they look: they say
 * that something failed, not what. Service names are added per call (every error and every
 * change of a service names it).
 */
export const NEVER_EVIDENCE = {
  generic: new Set(
    (
      'error errors err failed failure fail fails failing exception exceptions request requests response ' +
      'responses service services timeout timeouts timed invalid unable cannot could not null undefined none nil ' +
      'true false the and for with from into that this when then than have has was were are but all any can via ' +
      'use used using add adds added update updated fix fixes fixed bump change changes changed make new old more ' +
      'less get set put post delete http https status code message internal server client value values type ' +
      'data info warn warning debug fatal panic retry retrying retries call calling called connect connection ' +
      'unknown unexpected while after before during line file object string number function method class return ' +
      'returned time id ids key name version prod production staging deploy deployed deployment test tests'
    ).split(' '),
  ),
  /** Top-level domains: every host name ends in one. */
  tlds: new Set(
    'com net org io dev app ai co uk de eu us info biz cloud internal local svc cluster'.split(' '),
  ),
  /** Leading segments of package, module and path names, shared by every file of a codebase. */
  packagePrefixes: new Set(
    'src lib app apps main java kotlin scala python ruby node modules node_modules dist build pkg cmd internal github gitlab golang gem gems site packages vendor index'.split(
      ' ',
    ),
  ),
} as const;
