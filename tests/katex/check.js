// Reads one JSON object per line ({"tex": ..., "display": true|false}) and answers one line each:
// {"ok": true} or {"ok": false, "error": "..."}. The tests use it to parse every formula symml prints.
const katex = require("katex");
const readline = require("readline");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  let answer;
  try {
    katex.renderToString(request.tex, { displayMode: request.display, throwOnError: true, strict: "error" });
    answer = { ok: true };
  } catch (error) {
    answer = { ok: false, error: String(error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
