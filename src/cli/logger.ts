/*
 * The CLI's structured log: pino, written synchronously to stderr (fd 2) so that
 * stdout carries only results, and nothing is lost when the process exits.
 */
import { pino, type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel): Logger {
  return pino({ name: 'memplay', level }, pino.destination({ fd: 2, sync: true }));
}

export type { Logger };
