// Preloaded into a measured process: reports its own peak memory when it exits.
process.on("exit", () => {
  const { maxRSS } = process.resourceUsage();
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${maxRSS}\n`);
});
