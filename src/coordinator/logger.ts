/*
 * The coordinator's log: the few methods of a pino logger it calls, so that the
 * CLI can hand it its pino instance and a library user any logger of that shape
 * (or none). Events: run start/stop, worker state changes, watchdog firings.
 */
export type LogMethod = (details: object, message: string) => void;

export interface CoordinatorLogger {
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
}

const ignore: LogMethod = () => {};

export const SILENT_LOGGER: CoordinatorLogger = { debug: ignore, info: ignore, warn: ignore };
