import { ManualClock } from "../../tools/producer/clock";
import { ProgressReporter, renderBar, renderLine, renderSummary } from "../../tools/producer/progress";

const at = (sent: number, retried = 0, failed = 0) => ({ sent, retried, failed, calls: 1 });

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (text: string) => writes.push(text) };
}

describe("progress rendering", () => {
  it("draws a bar proportional to the records done", () => {
    expect(renderBar(at(450, 3), 1000, 9000, 10)).toBe("[####------]  450/1000  45%  50.0 rec/s  retried 3  failed 0");
    expect(renderBar(at(990, 0, 10), 1000, 1000, 10)).toBe("[##########] 1000/1000 100%  990.0 rec/s  retried 0  failed 10");
    expect(renderBar(at(0), 0, 0, 4)).toBe("[####] 0/0 100%  0.0 rec/s  retried 0  failed 0");
  });

  it("writes plain lines for logs", () => {
    expect(renderLine(at(450, 3), 1000, 9000)).toBe("progress: 450/1000 (45%) sent 450, retried 3, failed 0, 50.0 rec/s");
  });

  it("summarises with the first failures and a count of the rest", () => {
    const summary = { ...at(8, 4, 3), calls: 5, failures: [{ partitionKey: "a", errorCode: "InternalFailure", message: "boom" }] };
    expect(renderSummary(summary, 2500)).toBe(
      "sent 8, retried 4, failed 3 in 2.5 s (5 PutRecords calls)\n  failed: partition key a: InternalFailure: boom\n  ... and 2 more\n",
    );
  });
});

describe("ProgressReporter", () => {
  it("redraws in place on a terminal, at most every 100 ms, and ends the line", () => {
    const clock = new ManualClock();
    const tty = sink(true);
    const reporter = new ProgressReporter(tty, 100, clock);
    reporter.update(at(10));
    clock.advance(50);
    reporter.update(at(20));
    clock.advance(60);
    reporter.update(at(30));
    reporter.update(at(100));
    reporter.finish({ ...at(100), failures: [] });
    expect(tty.writes.filter((w) => w.startsWith("\r\x1b[2K["))).toHaveLength(3);
    expect(tty.writes.at(-2)).toBe("\n");
    expect(tty.writes.at(-1)).toMatch(/^sent 100, retried 0, failed 0 in 0\.1 s/);
  });

  it("writes a plain line every 5 s elsewhere, plus the final one", () => {
    const clock = new ManualClock();
    const log = sink(false);
    const reporter = new ProgressReporter(log, 1000, clock);
    for (let sent = 100; sent <= 1000; sent += 100) {
      reporter.update(at(sent));
      clock.advance(1000);
    }
    expect(log.writes.every((w) => !w.includes("\r"))).toBe(true);
    expect(log.writes.map((w) => w.match(/^progress: (\d+)\//)?.[1])).toEqual(["100", "600", "1000"]);
  });
});
