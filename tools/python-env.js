#!/usr/bin/env node
// Creates or refreshes the project-local Python virtual environment `.venv/` with exactly the
// packages pinned in `requirements-dev.txt` (test and tooling packages; nothing here is shipped to
// Glue). Idempotent and fast when nothing changed: the venv remembers the sha256 of the
// requirements it was built from. Prints the venv's python path on stdout.
//
//   node tools/python-env.js            ensure the venv, print its python
//   node tools/python-env.js --check    exit 1 with a message if it is missing or stale
const { createHash } = require("node:crypto");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const VENV = path.join(ROOT, ".venv");
const REQUIREMENTS = path.join(ROOT, "requirements-dev.txt");
const STAMP = path.join(VENV, ".requirements.sha256");
const PYTHON = path.join(VENV, "bin", "python");
const BASE_PYTHON = process.env.DP_PYTHON ?? "python3";
/** Glue 5.x runs Python 3.11: the jobs are tested under the same minor version. */
const REQUIRED_PYTHON = "3.11";

const USAGE = `usage: npm run python:env -- [--check]

Creates or refreshes .venv/ with exactly the packages pinned in requirements-dev.txt and prints its python.

options:
  --check  only check that .venv is current (exit 1 with a message when it is missing or stale)
  --help   print this text and exit 0

exit codes:
  0  done (.venv is current)
  1  .venv is missing or stale (--check), or Python, venv or pip failed
  2  bad input (command line); nothing was done
`;

function fail(message) {
  process.stderr.write(`python-env: ${message}\n`);
  process.exit(1);
}

// Plain JavaScript (it runs before anything is compiled), with the other tools' conventions (tools/cli-args.ts).
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = args.find((arg) => arg !== "--check");
if (unknown !== undefined) {
  process.stderr.write(`python-env: ${unknown.startsWith("-") ? `unknown option ${unknown}; valid options: --check, --help` : `unexpected argument "${unknown}"; takes options only`}\n\n${USAGE}`);
  process.exit(2);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  return result.status === 0;
}

function baseVersion() {
  const result = spawnSync(BASE_PYTHON, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    fail(`no ${BASE_PYTHON} found. Install Python ${REQUIRED_PYTHON} (Debian: apt-get install python3 python3-venv), or set DP_PYTHON to one.`);
  }
  return result.stdout.trim();
}

const wanted = createHash("sha256").update(fs.readFileSync(REQUIREMENTS)).digest("hex");
const current = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8").trim() : undefined;

if (current === wanted && fs.existsSync(PYTHON)) {
  process.stdout.write(`${PYTHON}\n`);
  process.exit(0);
}
if (args.includes("--check")) {
  fail(`.venv is ${current ? "out of date" : "missing"}; run: npm run python:env`);
}

const version = baseVersion();
if (version !== REQUIRED_PYTHON) {
  fail(`${BASE_PYTHON} is Python ${version}; the Glue jobs run on Python ${REQUIRED_PYTHON} (Glue 5.x). Install it, or set DP_PYTHON to a python${REQUIRED_PYTHON}.`);
}
process.stderr.write(`python-env: installing requirements-dev.txt into .venv (once per change of that file)\n`);
if (!fs.existsSync(PYTHON) && !run(BASE_PYTHON, ["-m", "venv", VENV])) {
  fail(`could not create .venv. On Debian: apt-get install python3-venv; then run: npm run python:env`);
}
const pip = ["-m", "pip", "--disable-pip-version-check", "--no-input"];
if (!run(PYTHON, [...pip, "install", "--quiet", "-r", REQUIREMENTS])) {
  fail(`pip could not install requirements-dev.txt (PyPI unreachable?); run again: npm run python:env`);
}
fs.writeFileSync(STAMP, `${wanted}\n`);
process.stdout.write(`${PYTHON}\n`);
