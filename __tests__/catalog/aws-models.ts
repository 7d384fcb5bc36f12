/**
 * Small in-test models of the AWS APIs the catalog workflow calls, answering its Task states when
 * aws-local-stepfunctions executes the definition. They follow the services' documented behaviour:
 * a crawler goes READY → RUNNING → STOPPING → READY and returns to READY whether it succeeded or
 * failed (LastCrawl.Status tells); StartCrawler on a crawler that is not READY throws
 * CrawlerRunningException; a crawl registers the partitions whose folders existed when it started;
 * a Data API statement goes SUBMITTED → STARTED → FINISHED or FAILED.
 */
import { StateMachine } from "aws-local-stepfunctions";
import { AslDefinition, STATE } from "../../modules/catalog-automation";

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node >= 22); this repository runs on Node 20.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= function withResolvers() {
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

export function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const partitionKey = (values: readonly string[]): string => values.join("/");

export class CrawlerModel {
  state: "READY" | "RUNNING" | "STOPPING" = "READY";
  lastCrawl?: { Status: "SUCCEEDED" | "FAILED"; StartTime: string };
  /** Crawls that actually ran. */
  runs = 0;
  /** Partitions whose data exists in S3 (folders a crawl would find). */
  readonly written = new Set<string>();
  /** Partitions registered in the Data Catalog. */
  readonly catalogued = new Set<string>();
  /** What the next crawl ends with. */
  nextOutcome: "SUCCEEDED" | "FAILED" = "SUCCEEDED";
  private startedAt = 0;
  private crawlStartTime = "";
  private snapshot: string[] = [];

  constructor(
    readonly name: string,
    readonly runningMs = 40,
    readonly stoppingMs = 10,
  ) {}

  write(values: readonly string[]): void {
    this.written.add(partitionKey(values));
  }

  start(): void {
    this.advance();
    if (this.state !== "READY") throw awsError("Glue.CrawlerRunningException", `Crawler with name ${this.name} has already started`);
    this.state = "RUNNING";
    this.runs += 1;
    this.startedAt = Date.now();
    this.crawlStartTime = new Date(this.startedAt).toISOString();
    this.snapshot = [...this.written];
  }

  /** Ends the running crawl now (a test's way of letting minutes pass). */
  finishNow(): void {
    this.startedAt = Date.now() - this.runningMs - this.stoppingMs - 1;
    this.advance();
  }

  advance(): void {
    if (this.state === "READY") return;
    const elapsed = Date.now() - this.startedAt;
    if (elapsed < this.runningMs) this.state = "RUNNING";
    else if (elapsed < this.runningMs + this.stoppingMs) this.state = "STOPPING";
    else {
      this.state = "READY";
      this.lastCrawl = { Status: this.nextOutcome, StartTime: this.crawlStartTime };
      if (this.nextOutcome === "SUCCEEDED") for (const p of this.snapshot) this.catalogued.add(p);
    }
  }

  getCrawler(): unknown {
    this.advance();
    return { Crawler: { Name: this.name, State: this.state, ...(this.lastCrawl ? { LastCrawl: { ...this.lastCrawl } } : {}) } };
  }

  getPartition(values: readonly string[]): unknown {
    this.advance();
    if (!this.catalogued.has(partitionKey(values))) throw awsError("Glue.EntityNotFoundException", "Cannot find partition.");
    return { Partition: { Values: [...values] } };
  }
}

export class StatementModel {
  readonly executed: string[] = [];
  nextOutcome: "FINISHED" | "FAILED" = "FINISHED";
  private readonly polls = new Map<string, number>();

  execute(sql: string): { Id: string } {
    this.executed.push(sql);
    const id = `statement-${this.executed.length}`;
    this.polls.set(id, 0);
    return { Id: id };
  }

  describe(id: string): { Id: string; Status: string } {
    const count = (this.polls.get(id) ?? 0) + 1;
    this.polls.set(id, count);
    const status = count === 1 ? "SUBMITTED" : count === 2 ? "STARTED" : this.nextOutcome;
    return { Id: id, Status: status };
  }
}

const machines = new WeakMap<AslDefinition, StateMachine>();
/** Constructing validates the definition (slow): one machine per definition, run many times. */
function machineFor(definition: AslDefinition): StateMachine {
  let machine = machines.get(definition);
  if (!machine) {
    machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    machines.set(definition, machine);
  }
  return machine;
}

export interface WorkflowRun {
  readonly succeeded: boolean;
  readonly error?: string;
  /** Every state entered, in order (nested Map states included). */
  readonly states: string[];
  readonly output?: unknown;
}

export interface WorldOptions {
  /** Called when LookUpPartition runs, before it answers: lets a test move time on. */
  readonly beforeLookUp?: () => Promise<void> | void;
  /** Called after CheckCrawler answered: lets another execution win the race. */
  readonly afterCheckCrawler?: () => void;
}

/** The AWS side of one test: a crawler, a warehouse, the alarm topic. */
export class World {
  readonly alarms: unknown[] = [];
  readonly glueCalls: string[] = [];

  constructor(
    readonly crawler: CrawlerModel,
    readonly statements = new StatementModel(),
    readonly options: WorldOptions = {},
  ) {}

  async run(definition: AslDefinition, input: unknown): Promise<WorkflowRun> {
    const machine = machineFor(definition);
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.handlers() as never,
        waitTimeOverrides: { [STATE.waitCrawler]: 5, [STATE.waitStatement]: 1 },
      },
    });
    const states: string[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs as AsyncIterable<{ type: string; state?: { name: string } }>) {
        if (event.type === "StateEntered" && event.state) states.push(event.state.name);
        if (event.type === "ExecutionSucceeded" || event.type === "ExecutionFailed") break;
      }
    })();
    try {
      const output = await execution.result;
      await collecting;
      return { succeeded: true, states, output };
    } catch (error) {
      await collecting;
      const cause = (error as { cause?: { name?: string } }).cause;
      return { succeeded: false, states, error: cause?.name ?? (error as Error).name };
    }
  }

  private handlers(): Record<string, (input: Record<string, unknown>) => Promise<unknown>> {
    return {
      [STATE.lookUp]: async (input) => {
        this.glueCalls.push("GetPartition");
        await this.options.beforeLookUp?.();
        return this.crawler.getPartition(input.PartitionValues as string[]);
      },
      [STATE.checkCrawler]: async () => {
        this.glueCalls.push("GetCrawler");
        const answer = this.crawler.getCrawler();
        this.options.afterCheckCrawler?.();
        return answer;
      },
      [STATE.startCrawler]: async () => {
        this.glueCalls.push("StartCrawler");
        this.crawler.start();
        return {};
      },
      [STATE.getCrawler]: async () => {
        this.glueCalls.push("GetCrawler");
        return this.crawler.getCrawler();
      },
      [STATE.executeRefresh]: async (input) => this.statements.execute(String(input.Sql)),
      [STATE.describeStatement]: async (input) => this.statements.describe(String(input.Id)),
      [STATE.publishAlarm]: async (input) => {
        this.alarms.push(input);
        return { MessageId: `m-${this.alarms.length}` };
      },
    };
  }
}
