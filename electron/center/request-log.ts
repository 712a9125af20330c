/**
 * The logger each center request gets as `req.log`: the center's pino logger bound to the request
 * id, made only when the request first writes a line at a level that is on.
 *
 * Why: Fastify gives every request a pino child to bind its id, and building one (bindings
 * serialized, a logger object with its own prototype chain) is a noticeable part of a kiosk
 * request's CPU, spent for lines the center at `warn` never writes. Whatever is written still carries `requestId`, exactly as from the eager child.
 */
import type { FastifyBaseLogger, FastifyLogFn } from 'fastify';

// pino's types, as Fastify's own logger interface names them (fastify does not re-export them).
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/** pino has it; a logger that has not is asked for its child at once (correct, just no saving). */
type MaybeLevelAware = FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };

class LazyRequestLog implements FastifyBaseLogger {
  // On the prototype, below: one small function per level.
  declare fatal: FastifyLogFn;
  declare error: FastifyLogFn;
  declare warn: FastifyLogFn;
  declare info: FastifyLogFn;
  declare debug: FastifyLogFn;
  declare trace: FastifyLogFn;
  declare silent: FastifyLogFn;
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: MaybeLevelAware,
    private readonly bindings: Bindings,
  ) {}

  /** The bound child, made on first use. */
  bound(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings));
  }

  /** Whether a line at `level` would be written (true for a logger that cannot say). */
  enabled(level: Level): boolean {
    if (this.#child !== undefined) return true;
    return level !== 'silent' && (this.parent.isLevelEnabled?.(level) ?? true);
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.bound().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.bound().child(bindings, options);
  }
}

for (const level of LEVELS) {
  const write = function (this: LazyRequestLog, ...args: unknown[]): void {
    if (this.enabled(level)) (this.bound()[level] as (...a: unknown[]) => void)(...args);
  };
  Object.defineProperty(LazyRequestLog.prototype, level, { value: write, writable: true, configurable: true });
}

/**
 * Fastify's `childLoggerFactory`. A route with its own log level or serializers gets the eager
 * child: its level is its own, so the parent cannot answer for it.
 */
export function requestLogFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new LazyRequestLog(logger as MaybeLevelAware, bindings);
}
