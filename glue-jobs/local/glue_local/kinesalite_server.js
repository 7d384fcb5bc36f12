// kinesalite (a Kinesis-compatible server, the npm package the producer's tests use) on 127.0.0.1
// and a free port, for the Spark suite and `npm run local` (glue_local/kinesalite.py starts it).
// Prints {"endpoint": "http://127.0.0.1:<port>"} once listening; stops on SIGTERM or SIGINT, and
// when its stdin closes, so that it never outlives the process that started it.
"use strict";
const kinesalite = require("kinesalite");

// A test process creates a stream per test: no account-wide shard limit (Kinesis has one; kinesalite defaults to 10).
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100000 });
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${server.address().port}` })}\n`);
});
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
