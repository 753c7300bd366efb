#!/usr/bin/env node
/* npx consent-banner-validate cookies.json [--languages fr,en]

   What `consent-banner validate` prints, for portals that have Node but not Python: one line per problem
   with its field path, else a summary. Exit status: 0 valid, 1 invalid, 2 unreadable file or bad usage.
   (Reading the portal's pages for undeclared third parties, `--pages`, is the Python command's.) */
"use strict";
var fs = require("fs");
var validateText = require("../validate.js").validateText;

var args = process.argv.slice(2), file = null, languages = null;
for (var i = 0; i < args.length; i++) {
  if (args[i] === "--languages" && i + 1 < args.length) { languages = args[++i]; }
  else if (args[i].indexOf("--languages=") === 0) { languages = args[i].slice(12); }
  else if (args[i] === "-h" || args[i] === "--help") { file = null; break; }
  else if (file === null && args[i][0] !== "-") { file = args[i]; }
  else { file = null; break; }
}
if (file === null) {
  process.stderr.write("usage: consent-banner-validate FILE [--languages fr,en]\n");
  process.exit(2);
}
var text;
try {
  text = fs.readFileSync(file, "utf8");
} catch (error) {
  console.log(file + ": cannot read: " + (error.code === "ENOENT" ? "No such file or directory" : error.message));
  process.exit(2);
}
var codes = languages ? languages.split(",").map(function (c) { return c.trim().toLowerCase(); }).filter(Boolean) : null;
var result = validateText(text.replace(/^\ufeff/, ""), {languages: codes});
if (result.json) {
  console.log(file + ": not valid JSON: " + result.json);
  process.exit(1);
}
if (!result.valid) {
  result.problems.forEach(function (p) { console.log(file + ": " + (p.path || "(top level)") + ": " + p.message); });
  process.exit(1);
}
var data = JSON.parse(text.replace(/^\ufeff/, ""));
console.log(file + ": valid (revision " + data.revision + ", " + data.categories.length + " categories, " +
            data.cookies.length + " cookies, languages: " + result.languages.join(", ") + ")");
