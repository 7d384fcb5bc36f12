/**
 * Every resource name the platform derives from a pipeline's name, computed from configuration
 * alone so that validation can check them before any construct exists: a name is too long only in
 * combination (the environment's name with the pipeline's), and a construct that meets it throws.
 *
 * The modules make these names themselves; `__tests__/stacks/derived-names.test.ts` synthesizes the
 * stacks and fails when a module makes a pipeline-scoped name this list does not know.
 */
import { NameKind, Namer } from "../lib/naming";
import { pipelineCatalogNames } from "../modules/catalog-automation/pipeline-catalog";
import { jobLogGroupNames } from "../modules/streaming/job-arguments";

export interface DerivedName {
  readonly kind: NameKind;
  readonly name: string;
}

/** A namer that records every name instead of refusing one: validation reports them all. */
class CollectingNamer extends Namer {
  readonly names: DerivedName[] = [];

  protected override checked(kind: NameKind, name: string): string {
    this.names.push({ kind, name });
    return name;
  }
}

/** What a pipeline's names depend on besides its name. */
export interface NamedPipeline {
  readonly name: string;
  /** Its materialized views: each gets a saved Athena query. */
  readonly views: readonly string[];
  /** Whether it publishes a QuickSight data set (in environments with BI on). */
  readonly publishes: boolean;
}

export interface NamedEnvironment {
  readonly name: string;
  readonly account: { readonly id: string; readonly region: string };
  readonly bi: { readonly enabled: boolean };
}

/** The names one pipeline's resources get in one environment, in the modules' own words. */
export function pipelineResourceNames(env: NamedEnvironment, pipeline: NamedPipeline): DerivedName[] {
  const namer = new CollectingNamer(env.name, env.account.id, env.account.region);
  const p = pipeline.name;
  // modules/streaming: the stream, its producer policy, the triggers, the jobs' log groups, and per job kind the job and its role.
  namer.name("kinesisStream", p);
  namer.name("iamPolicy", p, "producer");
  namer.name("generic", p, "batch", "schedule");
  namer.name("generic", p, "streaming", "keepalive");
  for (const kind of ["streaming", "batch"]) {
    namer.name("glueJob", p, kind);
    namer.name("iamRole", p, kind);
  }
  // Glue 5 writes to `<--custom-logGroup-prefix>/error` and `/output`; both jobs share the pipeline's prefix.
  for (const name of Object.values(jobLogGroupNames(namer.logGroup("aws-glue", "jobs", p)))) namer.names.push({ kind: "logGroup", name });
  // modules/catalog-automation, by its own function.
  pipelineCatalogNames(namer, p);
  // modules/observability: alarms on the stream, the workflow and unexpected detections.
  for (const alarm of ["iterator-age", "write-throttled", "catalog-failed", "unexpected-pii"]) namer.name("cloudwatchAlarm", p, alarm);
  // modules/query: a saved query per view, and the lake policy check.
  for (const view of pipeline.views) namer.name("generic", p, view.replace(/_/g, "-"));
  namer.name("generic", p, "lake-policy-check");
  // modules/bi: the data set.
  if (env.bi.enabled && pipeline.publishes) namer.name("quicksightId", p);
  return namer.names;
}
