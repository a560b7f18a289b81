/** Structured JSON logs on stdout (pino: fast, and the de-facto standard shape for Node services). */
import pino, { type Logger } from "pino";

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "commerce-server" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Secrets never reach a log line, even when an object carrying them is logged whole.
      redact: ["*.stripeSecretKey", "*.stripeWebhookSecret", "*.databaseUrl", "req.headers.authorization"],
    },
    destination,
  );
}
