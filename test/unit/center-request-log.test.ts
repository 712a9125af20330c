import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestLogFactory } from '../../electron/center/request-log';

const ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** A logger at `level` that records its lines and how many children it made. */
function recorder(level: string, withLevelCheck = true) {
  const lines: { level: string; bindings: Record<string, unknown>; args: unknown[] }[] = [];
  let children = 0;
  const make = (bindings: Record<string, unknown>): FastifyBaseLogger => {
    const write = (l: string) => (...args: unknown[]) => {
      if (ORDER.indexOf(l) >= ORDER.indexOf(level)) lines.push({ level: l, bindings, args });
    };
    return {
      level,
      ...(withLevelCheck && { isLevelEnabled: (l: string) => ORDER.indexOf(l) >= ORDER.indexOf(level) }),
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      fatal: write('fatal'),
      silent: () => {},
      child: (b: Record<string, unknown>) => {
        children++;
        return make({ ...bindings, ...b });
      },
    } as unknown as FastifyBaseLogger;
  };
  return { root: make({}), lines, children: () => children };
}

describe('a request’s logger', () => {
  it('makes no child for lines its level does not write', () => {
    const r = recorder('warn');
    const log = requestLogFactory(r.root, { requestId: 'r-1' }, {});
    log.info({ outcome: 'authorized' }, 'authorize');
    log.debug('details');
    log.silent('nothing');
    expect(r.children()).toBe(0);
    expect(r.lines).toEqual([]);
    expect(log.level).toBe('warn');
  });

  it('binds the request id on the first line written, once', () => {
    const r = recorder('info');
    const log = requestLogFactory(r.root, { requestId: 'r-2' }, {});
    log.info({ outcome: 'used' }, 'confirm');
    log.error({ err: new Error('x') }, 'request failed');
    expect(r.children()).toBe(1);
    expect(r.lines.map((l) => [l.level, l.bindings.requestId, l.args[1]])).toEqual([
      ['info', 'r-2', 'confirm'],
      ['error', 'r-2', 'request failed'],
    ]);
  });

  it('asks a logger that cannot tell its level for the child at once', () => {
    const r = recorder('warn', false);
    const log = requestLogFactory(r.root, { requestId: 'r-3' }, {});
    log.info('dropped by the child');
    log.warn('kept');
    expect(r.children()).toBe(1);
    expect(r.lines.map((l) => [l.bindings.requestId, l.args[0]])).toEqual([['r-3', 'kept']]);
  });

  it('gives a route with its own level the eager child', () => {
    const r = recorder('warn');
    requestLogFactory(r.root, { requestId: 'r-4' }, { level: 'debug' });
    expect(r.children()).toBe(1);
  });

  it('hands grandchildren the request id', () => {
    const r = recorder('info');
    const log = requestLogFactory(r.root, { requestId: 'r-5' }, {}).child({ part: 'storage' });
    log.info('hello');
    expect(r.lines[0]?.bindings).toEqual({ requestId: 'r-5', part: 'storage' });
  });
});
