/**
 * The session event record for usability measurements: one JSON line per screen shown, intent
 * received and outcome, with real and simulated timestamps. PIN-free by construction: the event
 * type has no field that could hold a typed value, and each line is rebuilt from the known fields
 * only, so even a mistaken caller cannot smuggle a value through an extra property.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EventSink, KioskEvent } from './ports';

/** The line as written: a fixed set of fields, in a fixed order. */
export function recordLine(e: KioskEvent): string {
  const line: Record<string, unknown> = {
    t: new Date(e.t).toISOString(),
    sim: new Date(e.sim).toISOString(),
    session: e.sessionId,
    type: e.type,
    screen: e.screen,
  };
  if (e.action !== undefined) line.action = e.action;
  if (e.outcome !== undefined) line.outcome = e.outcome;
  return JSON.stringify(line) + '\n';
}

/** Appends events to a JSONL file (created with its directory on first use). */
export class JsonlEventRecord implements EventSink {
  #ready = false;

  constructor(readonly file: string) {}

  record(event: KioskEvent): void {
    if (!this.#ready) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.#ready = true;
    }
    // Synchronous append: a few hundred bytes per touch, and the record must survive a crash.
    fs.appendFileSync(this.file, recordLine(event), { mode: 0o600 });
  }
}

/** Keeps events in memory (tests, and hosts that do not record). */
export class MemoryEventRecord implements EventSink {
  readonly events: KioskEvent[] = [];
  record(event: KioskEvent): void {
    this.events.push(event);
  }
}
