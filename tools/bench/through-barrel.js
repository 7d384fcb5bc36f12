// Preloaded for the comparison run only: every deep `@cdktf/provider-aws/lib/<name>` import is
// answered from the package's barrel, as if the code had imported `@cdktf/provider-aws`.
const Module = require("node:module");
const barrel = require("@cdktf/provider-aws");

const camel = (kebab) => kebab.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const deep = /^@cdktf\/provider-aws\/lib\/([^/]+)$/.exec(request);
  if (deep && barrel[camel(deep[1])]) return barrel[camel(deep[1])];
  return originalLoad.call(this, request, parent, isMain);
};
