/**
 * Progress on stderr (stdout stays clean for --dry-run's JSON lines): a redrawn bar on a terminal,
 * plain periodic lines in CI logs and pipes, where carriage returns would pile up.
 */
import type { Clock } from "./clock";
import type { SendProgress, SendSummary } from "./send";

export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const BAR_WIDTH = 30;
const TTY_REDRAW_MS = 100;
const PLAIN_LINE_MS = 5_000;

const percent = (done: number, total: number): number => (total === 0 ? 100 : Math.floor((done / total) * 100));
const ratePerSecond = (count: number, elapsedMs: number): string => (elapsedMs > 0 ? ((count / elapsedMs) * 1000).toFixed(1) : "0.0");

/** `[#########---------]  450/1000  45%  49.8 rec/s  retried 3  failed 0` */
export function renderBar(progress: SendProgress, total: number, elapsedMs: number, width = BAR_WIDTH): string {
  const done = progress.sent + progress.failed;
  const filled = total === 0 ? width : Math.min(width, Math.floor((done / total) * width));
  const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
  const counts = `${String(done).padStart(String(total).length)}/${total}`;
  return `[${bar}] ${counts} ${String(percent(done, total)).padStart(3)}%  ${ratePerSecond(progress.sent, elapsedMs)} rec/s  retried ${progress.retried}  failed ${progress.failed}`;
}

/** `progress: 450/1000 (45%) sent 450, retried 3, failed 0, 49.8 rec/s` */
export function renderLine(progress: SendProgress, total: number, elapsedMs: number): string {
  const done = progress.sent + progress.failed;
  return `progress: ${done}/${total} (${percent(done, total)}%) sent ${progress.sent}, retried ${progress.retried}, failed ${progress.failed}, ${ratePerSecond(progress.sent, elapsedMs)} rec/s`;
}

export function renderSummary(summary: SendSummary, elapsedMs: number): string {
  const lines = [
    `sent ${summary.sent}, retried ${summary.retried}, failed ${summary.failed} in ${(elapsedMs / 1000).toFixed(1)} s (${summary.calls} PutRecords calls)`,
  ];
  for (const failure of summary.failures) lines.push(`  failed: partition key ${failure.partitionKey}: ${failure.errorCode}: ${failure.message}`);
  if (summary.failed > summary.failures.length) lines.push(`  ... and ${summary.failed - summary.failures.length} more`);
  return `${lines.join("\n")}\n`;
}

/** Feeds {@link renderBar} or {@link renderLine} to the sink, no more often than is readable. */
export class ProgressReporter {
  private readonly started: number;
  private lastDrawn = -Infinity;
  private drewBar = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
    private readonly clock: Clock,
  ) {
    this.started = clock.now();
  }

  get elapsedMs(): number {
    return this.clock.now() - this.started;
  }

  update(progress: SendProgress): void {
    const now = this.clock.now();
    const interval = this.sink.isTTY ? TTY_REDRAW_MS : PLAIN_LINE_MS;
    const finished = progress.sent + progress.failed >= this.total;
    if (now - this.lastDrawn < interval && !finished) return;
    this.lastDrawn = now;
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${renderBar(progress, this.total, this.elapsedMs)}`);
      this.drewBar = true;
    } else {
      this.sink.write(`${renderLine(progress, this.total, this.elapsedMs)}\n`);
    }
  }

  finish(summary: SendSummary): void {
    if (this.drewBar) this.sink.write("\n");
    this.sink.write(renderSummary(summary, this.elapsedMs));
  }
}
