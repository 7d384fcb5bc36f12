import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { GlueScriptsProps } from "./glue-scripts-props";
import { JobKind, s3Uri } from "./job-arguments";

/** Context key that points synthesis at another `glue-jobs/` directory (a build's checkout, a test's copy). */
export const GLUE_JOBS_DIR_CONTEXT = "dataPlatform:glueJobsDir";
/** The repository's Glue code. */
export const DEFAULT_GLUE_JOBS_DIR = join(__dirname, "..", "..", "glue-jobs");
export const LIBRARY_PACKAGE = "platform_etl";
export const ENTRY_SCRIPTS: Readonly<Record<JobKind, string>> = { streaming: "streaming_etl.py", batch: "batch_etl.py" };

/** One shipped object: its content hash decides its key. */
export interface ShippedCode {
  readonly key: string;
  readonly uri: string;
  readonly sha256: string;
}

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** Content-addressed key: a change is a new object and a visible change of every job that runs it. */
export function codeKey(prefix: string, name: string, sha256: string, extension: string): string {
  return `${prefix}${name}/${sha256}${extension}`;
}

/** Bytecode caches and tests are not part of the library Glue runs. */
export function isShippedLibraryFile(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/);
  return !parts.some((p) => p === "__pycache__" || p === "tests") && !/\.py[co]$/.test(relativePath);
}

/** The library's files, relative to the package's parent, in a stable (sorted, `/`-separated) order. */
export function libraryFiles(packageDir: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path) : [relative(dirname(packageDir), path).split(sep).join("/")];
    });
  return walk(packageDir).filter(isShippedLibraryFile).sort();
}

/** SHA-256 over every file's path and content hash: names and bytes both count, order does not vary. */
export function treeSha256(root: string, files: readonly string[]): string {
  return sha256Hex(files.map((file) => `${file}\0${sha256Hex(readFileSync(join(root, file)))}\n`).join(""));
}

/** Where {@link GlueScripts} ships the code, without shipping it: what the jobs of another stack name. */
export function shippedCode(props: Pick<GlueScriptsProps, "artifactsBucketName" | "scriptPrefix" | "libraryPrefix" | "sourceDir">): {
  scripts: Record<JobKind, ShippedCode>;
  library: ShippedCode;
} {
  const sourceDir = props.sourceDir ?? DEFAULT_GLUE_JOBS_DIR;
  const shipped = (prefix: string, name: string, sha256: string, extension: string): ShippedCode => {
    const key = codeKey(prefix, name, sha256, extension);
    return { key, uri: s3Uri(props.artifactsBucketName, key), sha256 };
  };
  const scripts = {} as Record<JobKind, ShippedCode>;
  for (const [kind, file] of Object.entries(ENTRY_SCRIPTS) as [JobKind, string][]) {
    scripts[kind] = shipped(props.scriptPrefix, file.replace(/\.py$/, ""), sha256Hex(readFileSync(join(sourceDir, file))), ".py");
  }
  const library = shipped(props.libraryPrefix, LIBRARY_PACKAGE, treeSha256(sourceDir, libraryFiles(join(sourceDir, LIBRARY_PACKAGE))), ".zip");
  return { scripts, library };
}

/**
 * Ships the Glue code to the artifacts bucket: the two entry scripts, and the `platform_etl`
 * package zipped with the archive provider. Keys are content-addressed (`<prefix><name>/<sha256>`),
 * like the contracts: every environment ships the same keys for the same bytes, a one-line change
 * replaces exactly those objects and shows as a new `script_location`/`--extra-py-files` on the jobs
 * that run them, and the previous object stays in place for a job still running it.
 */
export class GlueScripts extends Construct {
  readonly scripts: Readonly<Record<JobKind, ShippedCode>>;
  readonly library: ShippedCode;

  constructor(scope: Construct, id: string, props: GlueScriptsProps) {
    super(scope, id);
    const sourceDir = props.sourceDir ?? DEFAULT_GLUE_JOBS_DIR;
    const encryption = { serverSideEncryption: "aws:kms", kmsKeyId: props.kmsKeyArn };
    const shipped = shippedCode(props);

    for (const [kind, file] of Object.entries(ENTRY_SCRIPTS) as [JobKind, string][]) {
      const { key, sha256 } = shipped.scripts[kind];
      const asset = new TerraformAsset(this, `${kind}-script-asset`, { path: join(sourceDir, file), type: AssetType.FILE, assetHash: sha256 });
      new S3Object(this, `${kind}-script`, { bucket: props.artifactsBucketName, key, source: asset.path, sourceHash: sha256, contentType: "text/x-python", ...encryption });
    }
    this.scripts = shipped.scripts;

    const files = libraryFiles(join(sourceDir, LIBRARY_PACKAGE));
    const { key, sha256 } = shipped.library;
    const staged = stageLibrary(sourceDir, files);
    const asset = new TerraformAsset(this, "library-asset", { path: staged, type: AssetType.DIRECTORY, assetHash: sha256 });
    const archive = new DataArchiveFile(this, "library-zip", {
      type: "zip",
      sourceDir: asset.path,
      outputPath: `glue-library/${LIBRARY_PACKAGE}-${sha256}.zip`,
      // The provider zeroes timestamps and walks in lexical order; a fixed mode removes the last
      // machine-dependent input, so the same files give the same bytes everywhere.
      outputFileMode: "0644",
      excludes: ["*__pycache__*", "*.pyc"],
    });
    new S3Object(this, "library", { bucket: props.artifactsBucketName, key, source: archive.outputPath, sourceHash: sha256, contentType: "application/zip", ...encryption });
    this.library = shipped.library;
  }
}

/**
 * Copies the shipped files into a fresh directory whose only entry is the package, so that the
 * zip holds `platform_etl/...` (importable from `--extra-py-files`) and nothing else.
 */
function stageLibrary(sourceDir: string, files: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), "dp-glue-library-"));
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(sourceDir, file), join(root, file));
  }
  return root;
}
